using System.Text.Json.Serialization;
using Keel.Core.Serving;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the serving API (stores keep endpoints in their own shape: Keel.Storage/Records).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    Converters = [typeof(FiniteDoubleConverter)])]
[JsonSerializable(typeof(Endpoint))]
[JsonSerializable(typeof(CreateEndpointRequest))]
[JsonSerializable(typeof(SetTrafficRequest))]
[JsonSerializable(typeof(StartRolloutRequest))]
[JsonSerializable(typeof(EndpointActionRequest))]
[JsonSerializable(typeof(EndpointResponse))]
[JsonSerializable(typeof(ListEndpointsResponse))]
[JsonSerializable(typeof(ServingEventsResponse))]
[JsonSerializable(typeof(EndpointConflictResponse))]
public sealed partial class ServingJson : JsonSerializerContext
{
}
