using System.Text.Json;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.Storage.Records;

/// <summary>Registry audit snapshot ↔ its stored document (<see cref="RegistrySnapshotRecord"/>), shared by every backend.</summary>
internal static class RegistrySnapshots
{
    /// <summary>The shape version written today.</summary>
    public const int Current = 1;

    private const string What = "registry event snapshot";

    public static string? Serialize(RegistrySnapshot? snapshot) => snapshot is null
        ? null
        : JsonSerializer.Serialize(new RegistrySnapshotRecord(Current, snapshot.Model is null ? null : ToRecord(snapshot.Model), snapshot.Version is null ? null : ToRecord(snapshot.Version)),
            StorageJson.Default.RegistrySnapshotRecord);

    public static RegistrySnapshot? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var version = SchemaVersions.Of(json, What);
        if (version != Current)
        {
            throw SchemaVersions.Newer(What, version, Current);
        }

        var record = JsonSerializer.Deserialize(json, StorageJson.Default.RegistrySnapshotRecord) ?? throw SchemaVersions.Corrupt(What, "null document", null);
        return new RegistrySnapshot(record.Model is null ? null : ToDomain(record.Model), record.Version is null ? null : ToDomain(record.Version));
    }

    public static RegisteredModelRecord ToRecord(RegisteredModel m) => new(
        m.Name, m.CreationTimestamp, m.LastUpdatedTimestamp, m.UserId, m.Description,
        m.LatestVersions.Select(ToRecord).ToList(),
        m.Tags.Select(t => new TagRecord(t.Key, t.Value)).ToList(),
        m.Aliases.Select(a => new AliasRecord(a.Alias, a.Version)).ToList());

    public static ModelVersionRecord ToRecord(ModelVersion v) => new(
        v.Name, v.Version, v.CreationTimestamp, v.LastUpdatedTimestamp, v.UserId, StoredNames.Of(v.CurrentStage), v.Description, v.Source, v.RunId,
        StoredNames.Of(v.Status), v.StatusMessage, v.Tags.Select(t => new TagRecord(t.Key, t.Value)).ToList(), v.RunLink, [.. v.Aliases], v.StorageLocation);

    private static RegisteredModel ToDomain(RegisteredModelRecord m) => new(
        m.Name, m.CreationTimestamp, m.LastUpdatedTimestamp, m.UserId, m.Description,
        m.LatestVersions.Select(ToDomain).ToList(),
        m.Tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
        m.Aliases.Select(a => new ModelAlias(a.Alias, a.Version)).ToList());

    private static ModelVersion ToDomain(ModelVersionRecord v) => new(
        v.Name, v.Version, v.CreationTimestamp, v.LastUpdatedTimestamp, v.UserId, StoredNames.Stage(v.Stage), v.Description, v.Source, v.RunId,
        StoredNames.Status(v.Status), v.StatusMessage, v.Tags.Select(t => new Tag(t.Key, t.Value)).ToList(), v.RunLink, [.. v.Aliases])
    {
        StorageLocation = v.StorageLocation,
    };
}
