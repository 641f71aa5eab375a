namespace Keel.Core.Predictions;

/// <summary>
/// Records handed to an <see cref="IPredictionLogSink"/> in one call. The sequence names the batch:
/// a writer gives each new batch a larger one than any it gave before, across restarts too (the
/// writer derives it from the clock), and passes the same batch again when it retries, so a sink can
/// make a retry replace, not repeat, what a failed attempt left behind.
/// </summary>
/// <param name="Sequence">The batch's number, increasing per writer.</param>
/// <param name="Records">The records, any endpoints and times; not empty.</param>
public sealed record PredictionLogBatch(long Sequence, IReadOnlyList<PredictionLogRecord> Records);
