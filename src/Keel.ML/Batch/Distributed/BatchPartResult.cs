namespace Keel.ML.Batch.Distributed;

/// <summary>What a <c>batch-score</c> job completes with.</summary>
/// <param name="Rows">Rows scored.</param>
public sealed record BatchPartResult(long Rows);
