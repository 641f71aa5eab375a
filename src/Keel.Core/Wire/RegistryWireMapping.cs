using System.Globalization;
using System.Text.Json;
using Keel.Core.Registry;

namespace Keel.Core.Wire;

/// <summary>
/// Domain ↔ wire conversions for registry entities. MLflow 2.12.2 prints <c>description</c> and
/// <c>run_link</c> even when empty, <c>aliases</c> only when there are some, and leaves aliases off
/// the versions it returns from searches and latest-version lists; the flags here reproduce that.
/// </summary>
public static class RegistryWireMapping
{
    public static ModelVersionDto ToDto(this ModelVersion v, bool withAliases = true) => new()
    {
        Name = v.Name,
        Version = v.Version.ToString(CultureInfo.InvariantCulture),
        CreationTimestamp = v.CreationTimestamp,
        LastUpdatedTimestamp = v.LastUpdatedTimestamp,
        UserId = v.UserId,
        CurrentStage = v.CurrentStage.ToWire(),
        Description = v.Description ?? string.Empty,
        Source = v.Source,
        RunId = v.RunId,
        Status = v.Status.ToWire(),
        StatusMessage = v.StatusMessage,
        Tags = v.Tags.ToDtos(),
        RunLink = v.RunLink ?? string.Empty,
        Aliases = withAliases && v.Aliases.Count > 0 ? [.. v.Aliases] : null,
    };

    public static ModelVersion ToDomain(this ModelVersionDto dto) => new(
        dto.Name ?? string.Empty,
        long.TryParse(dto.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0,
        dto.CreationTimestamp ?? 0,
        dto.LastUpdatedTimestamp ?? 0,
        dto.UserId,
        ModelStages.TryParse(dto.CurrentStage, out var stage) ? stage : ModelStage.None,
        dto.Description,
        dto.Source ?? string.Empty,
        dto.RunId,
        ModelVersionStatuses.TryParse(dto.Status, out var status) ? status : ModelVersionStatus.Ready,
        dto.StatusMessage,
        dto.Tags?.Select(t => t.ToTag()).ToList() ?? [],
        dto.RunLink,
        dto.Aliases ?? []);

    public static RegisteredModelDto ToDto(this RegisteredModel m) => new()
    {
        Name = m.Name,
        CreationTimestamp = m.CreationTimestamp,
        LastUpdatedTimestamp = m.LastUpdatedTimestamp,
        UserId = m.UserId,
        Description = m.Description,
        LatestVersions = m.LatestVersions.Count == 0 ? null : m.LatestVersions.Select(v => v.ToDto(withAliases: false)).ToList(),
        Tags = m.Tags.ToDtos(),
        Aliases = m.Aliases.Count == 0 ? null : m.Aliases.Select(a => new RegisteredModelAliasDto { Alias = a.Alias, Version = a.Version }).ToList(),
    };

    public static RegisteredModel ToDomain(this RegisteredModelDto dto) => new(
        dto.Name ?? string.Empty,
        dto.CreationTimestamp ?? 0,
        dto.LastUpdatedTimestamp ?? 0,
        dto.UserId,
        dto.Description,
        dto.LatestVersions?.Select(v => v.ToDomain()).ToList() ?? [],
        dto.Tags?.Select(t => t.ToTag()).ToList() ?? [],
        dto.Aliases?.Select(a => new ModelAlias(a.Alias ?? string.Empty, a.Version ?? string.Empty)).ToList() ?? []);

    public static RegistryEventDto ToDto(this RegistryEvent e) => new()
    {
        Id = e.Id,
        Timestamp = e.Timestamp,
        Actor = e.Actor,
        Action = e.Action,
        Name = e.ModelName,
        Version = e.Version,
        Before = SnapshotJson(e.Before),
        After = SnapshotJson(e.After),
    };

    public static RegistryEvent ToDomain(this RegistryEventDto dto) =>
        new(dto.Id ?? 0, dto.Timestamp ?? 0, dto.Actor, dto.Action ?? string.Empty, dto.Name ?? string.Empty, dto.Version, ParseSnapshot(dto.Before), ParseSnapshot(dto.After));

    /// <summary>
    /// A snapshot as the API shows it: the entity's own JSON (as get-registered-model or
    /// get-model-version would answer), in a string so the event keeps one shape for both kinds.
    /// </summary>
    public static string? SnapshotJson(RegistrySnapshot? snapshot) => snapshot switch
    {
        { Model: { } model } => JsonSerializer.Serialize(model.ToDto(), WireJson.Default.RegisteredModelDto),
        { Version: { } version } => JsonSerializer.Serialize(version.ToDto(), WireJson.Default.ModelVersionDto),
        _ => null,
    };

    /// <summary>The inverse of <see cref="SnapshotJson"/>: a version's JSON has a top-level <c>version</c>, a model's never does.</summary>
    public static RegistrySnapshot? ParseSnapshot(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("version", out _)
            ? RegistrySnapshot.Of(document.RootElement.Deserialize(WireJson.Default.ModelVersionDto)!.ToDomain())
            : RegistrySnapshot.Of(document.RootElement.Deserialize(WireJson.Default.RegisteredModelDto)!.ToDomain());
    }
}
