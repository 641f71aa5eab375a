using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the feature registry API (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(FeatureCatalogResponse))]
[JsonSerializable(typeof(FeatureVersionsResponse))]
[JsonSerializable(typeof(FeaturePlanRequest))]
[JsonSerializable(typeof(FeatureApplyRequest))]
[JsonSerializable(typeof(FeaturePlanResponse))]
[JsonSerializable(typeof(FeatureConflictResponse))]
[JsonSerializable(typeof(RecordMaterializationRequest))]
[JsonSerializable(typeof(MaterializationResponse))]
[JsonSerializable(typeof(FeatureDefinitionsWire))]
[JsonSerializable(typeof(FeatureObjectWire))]
public sealed partial class FeatureJson : JsonSerializerContext
{
}
