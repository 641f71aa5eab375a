using System.Text.Json.Serialization;

namespace Keel.Storage.Features;

// The feature registry's stored documents, one shape per kind, each with its own version ("v"), so
// the Core records and the API can change without a data migration. Every property name is pinned.

internal sealed record StoredEntityRecord(
    [property: JsonPropertyName("v")] int V,
    [property: JsonPropertyName("join_keys")] IReadOnlyList<string> JoinKeys,
    [property: JsonPropertyName("description")] string? Description);

internal sealed record StoredSourceRecord(
    [property: JsonPropertyName("v")] int V,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("timestamp_field")] string TimestampField,
    [property: JsonPropertyName("created_timestamp_column")] string? CreatedTimestampColumn,
    [property: JsonPropertyName("field_mapping")] IReadOnlyDictionary<string, string>? FieldMapping,
    [property: JsonPropertyName("description")] string? Description);

internal sealed record StoredFieldRecord(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("dtype")] string Dtype,
    [property: JsonPropertyName("expression")] string? Expression = null);

internal sealed record StoredViewRecord(
    [property: JsonPropertyName("v")] int V,
    [property: JsonPropertyName("entities")] IReadOnlyList<string> Entities,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("ttl_ms")] long? TtlMs,
    [property: JsonPropertyName("features")] IReadOnlyList<StoredFieldRecord> Features,
    [property: JsonPropertyName("online")] bool Online,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("tags")] IReadOnlyDictionary<string, string>? Tags);

internal sealed record StoredOnDemandViewRecord(
    [property: JsonPropertyName("v")] int V,
    [property: JsonPropertyName("sources")] IReadOnlyList<string> Sources,
    [property: JsonPropertyName("request_fields")] IReadOnlyList<StoredFieldRecord> RequestFields,
    [property: JsonPropertyName("features")] IReadOnlyList<StoredFieldRecord> Features,
    [property: JsonPropertyName("description")] string? Description);

internal sealed record StoredServiceRecord(
    [property: JsonPropertyName("v")] int V,
    [property: JsonPropertyName("features")] IReadOnlyList<string> Features,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>Source-generated JSON of the stored feature documents.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(StoredEntityRecord))]
[JsonSerializable(typeof(StoredSourceRecord))]
[JsonSerializable(typeof(StoredViewRecord))]
[JsonSerializable(typeof(StoredOnDemandViewRecord))]
[JsonSerializable(typeof(StoredServiceRecord))]
internal sealed partial class FeatureStorageJson : JsonSerializerContext;
