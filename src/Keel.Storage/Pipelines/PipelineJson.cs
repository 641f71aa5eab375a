using System.Text.Json.Serialization;

namespace Keel.Storage.Pipelines;

/// <summary>
/// Source-generated JSON of the pipeline store's text columns: a run's parameters and a step's or
/// cache entry's outputs are kept as one JSON object of names to string values, in name order.
/// </summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(SortedDictionary<string, string>), TypeInfoPropertyName = "StringMap")]
[JsonSerializable(typeof(Dictionary<string, string>), TypeInfoPropertyName = "StringDictionary")]
internal sealed partial class PipelineJson : JsonSerializerContext;
