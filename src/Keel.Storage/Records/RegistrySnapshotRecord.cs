using System.Text.Json.Serialization;

namespace Keel.Storage.Records;

/// <summary>
/// A registry audit snapshot as the stores keep it (the before/after columns of registry events):
/// a model or a version, with a pinned <see cref="SchemaVersion"/> like <see cref="EndpointRecord"/>.
/// </summary>
internal sealed record RegistrySnapshotRecord(
    [property: JsonPropertyName("v")] int SchemaVersion,
    [property: JsonPropertyName("model")] RegisteredModelRecord? Model,
    [property: JsonPropertyName("version")] ModelVersionRecord? Version);

internal sealed record RegisteredModelRecord(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created")] long CreationTimestamp,
    [property: JsonPropertyName("updated")] long LastUpdatedTimestamp,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("latest_versions")] IReadOnlyList<ModelVersionRecord> LatestVersions,
    [property: JsonPropertyName("tags")] IReadOnlyList<TagRecord> Tags,
    [property: JsonPropertyName("aliases")] IReadOnlyList<AliasRecord> Aliases);

internal sealed record ModelVersionRecord(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("created")] long CreationTimestamp,
    [property: JsonPropertyName("updated")] long LastUpdatedTimestamp,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("run_id")] string? RunId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_message")] string? StatusMessage,
    [property: JsonPropertyName("tags")] IReadOnlyList<TagRecord> Tags,
    [property: JsonPropertyName("run_link")] string? RunLink,
    [property: JsonPropertyName("aliases")] IReadOnlyList<string> Aliases,
    [property: JsonPropertyName("storage_location")] string? StorageLocation);

internal sealed record TagRecord(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value);

internal sealed record AliasRecord(
    [property: JsonPropertyName("alias")] string Alias,
    [property: JsonPropertyName("version")] string Version);
