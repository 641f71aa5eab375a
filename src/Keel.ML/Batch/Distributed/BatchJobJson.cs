using System.Text.Json.Serialization;

namespace Keel.ML.Batch.Distributed;

/// <summary>Source-generated JSON of batch scoring jobs (payloads and results).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BatchScoreJob))]
[JsonSerializable(typeof(BatchPartResult))]
internal sealed partial class BatchJobJson : JsonSerializerContext
{
}
