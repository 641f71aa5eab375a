using System.Text.Json.Serialization;

namespace Keel.Storage.Records;

/// <summary>
/// Source-generated JSON of the stored documents, and only of them: the API's contexts
/// (<c>WireJson</c>, <c>ServingJson</c>) never touch stored data. NaN and infinities are kept as
/// their named literals so a measured value survives whatever it is.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(EndpointRecord))]
[JsonSerializable(typeof(RegistrySnapshotRecord))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(double[]))]
internal sealed partial class StorageJson : JsonSerializerContext
{
}
