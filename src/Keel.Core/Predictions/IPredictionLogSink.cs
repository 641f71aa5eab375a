namespace Keel.Core.Predictions;

/// <summary>
/// The write side of the prediction log: an append-only store of scored requests, written in
/// batches by one background writer per server (never on the request path). Each replica writes
/// its own files or objects, so replicas sharing a location never overwrite each other.
/// Implementations: JSON Lines day files on local disk (embedded default), Parquet objects on an
/// artifact store (local or S3) partitioned by endpoint, date and hour.
/// </summary>
public interface IPredictionLogSink
{
    /// <summary>
    /// Stores a batch. When the task completes every record of it is readable through the matching
    /// <see cref="IPredictionLogReader"/>. When it fails, the writer may call again with the same
    /// batch: a sink keeps what a failed attempt completed from being stored twice.
    /// </summary>
    /// <param name="batch">The records and the batch's sequence.</param>
    /// <param name="cancellationToken">Cancels the call; records not yet stored may then be lost.</param>
    /// <exception cref="IOException">The storage could not be written (disk full, object store down, ...).</exception>
    Task AppendAsync(PredictionLogBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the records of every UTC day before <paramref name="before"/> (retention), on every
    /// endpoint and from every replica. Records the sink did not write are left alone.
    /// </summary>
    /// <param name="before">The oldest day to keep.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many day files or day partitions were deleted.</returns>
    Task<int> DeleteBeforeAsync(DateOnly before, CancellationToken cancellationToken = default);
}
