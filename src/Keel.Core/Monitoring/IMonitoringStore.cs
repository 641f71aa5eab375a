namespace Keel.Core.Monitoring;

/// <summary>
/// Persistence of continuous monitoring: the statistics of each time bucket of an endpoint's
/// prediction log (mergeable summaries, so larger windows are merged from buckets, never recomputed
/// from raw rows), the index of logged predictions that delayed labels join to, the labels
/// themselves, each bucket's quality once labels arrive, and per-endpoint monitoring settings.
/// Every write is idempotent: recomputing a bucket replaces it. Implementations may assume
/// validated input.
/// </summary>
public interface IMonitoringStore
{
    /// <summary>
    /// Stores a bucket's statistics and the predictions it saw (for label joins) in one transaction,
    /// replacing what an earlier computation of the same bucket stored.
    /// </summary>
    /// <param name="bucket">The bucket's statistics.</param>
    /// <param name="predictions">The predictions scored in the bucket, one per request id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task PutBucketAsync(MonitoringBucket bucket, IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellationToken = default);

    /// <summary>The buckets of an endpoint that start in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="from">Inclusive start.</param>
    /// <param name="to">Exclusive end.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<MonitoringBucket>> ListBucketsAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The end of the newest bucket stored for the endpoint (the scheduler's watermark), or null.</summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DateTimeOffset?> LatestBucketEndAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores labels (last write wins per request id) and says how many were new, replaced an earlier
    /// label, and matched a logged prediction at the time. All or nothing.
    /// </summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="labels">The labels, request ids distinct.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<FeedbackOutcome> AddLabelsAsync(string endpoint, IReadOnlyList<FeedbackLabel> labels, CancellationToken cancellationToken = default);

    /// <summary>Starts of the buckets whose quality is stale: a label for one of their predictions arrived or changed since it was computed.</summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<DateTimeOffset>> StaleQualityBucketsAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>The bucket's predictions that have a label, with the label.</summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="bucketStart">The bucket's start.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<LabeledPrediction>> ReadLabeledAsync(string endpoint, DateTimeOffset bucketStart, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a bucket's quality and marks its labels received before <paramref name="readAt"/> as
    /// counted; labels that arrived later keep the bucket stale.
    /// </summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="bucketStart">The bucket's start.</param>
    /// <param name="quality">The quality summary as JSON.</param>
    /// <param name="readAt">When the labels were read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task PutQualityAsync(string endpoint, DateTimeOffset bucketStart, string quality, DateTimeOffset readAt, CancellationToken cancellationToken = default);

    /// <summary>Counts of the endpoint's labels: received, matched to a prediction, unmatched, and replaced by a later label.</summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LabelSummary> LabelSummaryAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes buckets and indexed predictions older than <paramref name="bucketsBefore"/>, and labels
    /// that matched no prediction received before <paramref name="unmatchedLabelsBefore"/>.
    /// </summary>
    /// <param name="bucketsBefore">Oldest bucket start to keep.</param>
    /// <param name="unmatchedLabelsBefore">Oldest receipt time of an unmatched label to keep.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Rows deleted.</returns>
    Task<long> PurgeAsync(DateTimeOffset bucketsBefore, DateTimeOffset unmatchedLabelsBefore, CancellationToken cancellationToken = default);

    /// <summary>The endpoint's monitoring settings, or null when none were set.</summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<MonitoringSettings?> GetSettingsAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>Sets (replaces) the endpoint's monitoring settings.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task PutSettingsAsync(MonitoringSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Deletes everything monitoring keeps for the endpoint (it was deleted).</summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeleteEndpointAsync(string endpoint, CancellationToken cancellationToken = default);
}
