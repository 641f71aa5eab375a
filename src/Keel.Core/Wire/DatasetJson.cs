using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the dataset and lineage APIs (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(AddDatasetVersionRequest))]
[JsonSerializable(typeof(AddDatasetVersionResponse))]
[JsonSerializable(typeof(UpdateDatasetRequest))]
[JsonSerializable(typeof(SetDatasetAliasRequest))]
[JsonSerializable(typeof(DatasetResponse))]
[JsonSerializable(typeof(DatasetsResponse))]
[JsonSerializable(typeof(DatasetVersionResponse))]
[JsonSerializable(typeof(DatasetVersionsResponse))]
[JsonSerializable(typeof(DatasetEventsResponse))]
[JsonSerializable(typeof(Keel.Core.Lineage.LineageGraph))]
public sealed partial class DatasetJson : JsonSerializerContext
{
}
