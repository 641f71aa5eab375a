namespace Keel.ML.Batch.Distributed;

/// <summary>How far a distributed batch has come.</summary>
/// <param name="PartsDone">Parts scored.</param>
/// <param name="Parts">Parts in the batch.</param>
/// <param name="RowsDone">Rows scored.</param>
/// <param name="Rows">Rows in the batch.</param>
/// <param name="Running">Parts leased by a worker now.</param>
/// <param name="Retried">Parts that needed more than one attempt so far.</param>
public sealed record DistributedProgress(int PartsDone, int Parts, long RowsDone, long Rows, int Running, int Retried);
