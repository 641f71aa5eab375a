using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>
/// Source-generated JSON of the serving-store API. Rollout figures carry NaN and infinities (a
/// latency sample not taken), written as the strings <c>"NaN"</c>, <c>"Infinity"</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StoredEndpointRequest))]
[JsonSerializable(typeof(StoredEndpointDeleteRequest))]
[JsonSerializable(typeof(StoredEndpointResponse))]
[JsonSerializable(typeof(StoredEndpointsResponse))]
[JsonSerializable(typeof(ServingChangesResponse))]
[JsonSerializable(typeof(ServingEventsResponse))]
[JsonSerializable(typeof(AcquireLeaseRequest))]
[JsonSerializable(typeof(ReleaseLeaseRequest))]
[JsonSerializable(typeof(LeaseResponse))]
[JsonSerializable(typeof(RouteStatsMessage))]
[JsonSerializable(typeof(StoredEndpointConflictResponse))]
public sealed partial class ServingStoreJson : JsonSerializerContext
{
}
