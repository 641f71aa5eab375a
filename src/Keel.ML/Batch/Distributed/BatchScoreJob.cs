using System.Text.Json.Serialization;

namespace Keel.ML.Batch.Distributed;

/// <summary>
/// The payload of a <c>batch-score</c> job: which model scores which part of which file, and where
/// the part's output goes. Paths must mean the same file on every worker (a shared volume).
/// </summary>
/// <param name="ModelUri">The model, resolved to an immutable version before the batch is split, so every part uses the same one.</param>
/// <param name="Input">The input file, absolute.</param>
/// <param name="Format">csv or parquet.</param>
/// <param name="Part">The part: its index and its row groups or rows.</param>
/// <param name="Output">Where the part's scored rows go, absolute; written under a temporary name and renamed when complete.</param>
public sealed record BatchScoreJob(
    [property: JsonPropertyName("model_uri")] string ModelUri,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("part")] BatchPart Part,
    [property: JsonPropertyName("output")] string Output)
{
    /// <summary>The job kind batch scoring runs under.</summary>
    public const string Kind = "batch-score";
}
