using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>
/// Body of an online feature read (POST /api/2.0/keel/features/online), in Feast's
/// get-online-features shape: either <c>features</c> or <c>feature_service</c>, and the entity rows
/// as columns, <c>{"driver_id": [1001, 1002]}</c>.
/// </summary>
public sealed class OnlineFeaturesRequest
{
    /// <summary>Features as <c>view:feature</c>.</summary>
    public List<string>? Features { get; set; }

    /// <summary>A feature service's name, instead of <see cref="Features"/>.</summary>
    public string? FeatureService { get; set; }

    /// <summary>Join key → one value per entity row (numbers, strings or booleans); every list of one length.</summary>
    public Dictionary<string, List<JsonElement>>? Entities { get; set; }

    /// <summary>Name features <c>view__feature</c> instead of <c>feature</c>.</summary>
    public bool? FullFeatureNames { get; set; }
}

/// <summary>
/// The answer of an online feature read, in Feast's shape: <c>metadata.feature_names</c> lists the
/// join keys then the features; <c>results</c> has one entry per name, in that order, each with one
/// value, status and event time per entity row.
/// </summary>
public sealed class OnlineFeaturesResponse
{
    /// <summary>The column names.</summary>
    public OnlineFeaturesMetadata? Metadata { get; set; }

    /// <summary>One vector per column.</summary>
    public List<OnlineFeatureVector>? Results { get; set; }
}

/// <summary>Names of the answer's columns.</summary>
public sealed class OnlineFeaturesMetadata
{
    /// <summary>Join keys first (as in the request), then the features (<c>feature</c> or <c>view__feature</c>).</summary>
    public List<string>? FeatureNames { get; set; }
}

/// <summary>One column of the answer: a value, a status and an event time per entity row.</summary>
public sealed class OnlineFeatureVector
{
    /// <summary>The values (null when not PRESENT; non-finite doubles as the strings "NaN", "Infinity", "-Infinity").</summary>
    public List<JsonElement>? Values { get; set; }

    /// <summary>PRESENT, NOT_FOUND, NULL_VALUE or EXPIRED (Feast's OUTSIDE_MAX_AGE).</summary>
    public List<string>? Statuses { get; set; }

    /// <summary>The stored row's event time (ISO 8601, UTC); 1970-01-01T00:00:00Z when nothing was found and for join keys.</summary>
    public List<string>? EventTimestamps { get; set; }
}

/// <summary>Source-generated JSON of online feature reads (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(OnlineFeaturesRequest))]
[JsonSerializable(typeof(OnlineFeaturesResponse))]
public sealed partial class OnlineFeatureJson : JsonSerializerContext
{
}
