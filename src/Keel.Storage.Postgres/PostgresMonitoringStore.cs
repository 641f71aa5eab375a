using Keel.Core.Monitoring;
using Keel.Storage.Monitoring;

namespace Keel.Storage.Postgres;

/// <summary>
/// Monitoring buckets, the prediction index and labels on PostgreSQL, shared by every replica. The
/// SQL is shared with SQLite (<see cref="MonitoringRecords"/>); each batch is one transaction.
/// </summary>
public sealed class PostgresMonitoringStore : IMonitoringStore, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly MonitoringRecords _records;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for receipt times; the system clock when null.</param>
    public PostgresMonitoringStore(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    public PostgresMonitoringStore(string uri)
        : this(PostgresDatabase.Open(uri), null, ownsDatabase: true)
    {
    }

    private PostgresMonitoringStore(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
        _records = new MonitoringRecords(namedParameters: false, time ?? TimeProvider.System);
    }

    public async Task PutBucketAsync(MonitoringBucket bucket, IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        await _db.WriteAsync(async db => { await _records.PutBucketAsync(db.Connection, db.Transaction!, bucket, predictions, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
        await _db.RefreshStatisticsAsync("monitoring_predictions", predictions.Count, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MonitoringBucket>> ListBucketsAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await _db.ReadAsync(db => _records.ListBucketsAsync(db.Connection, endpoint, from, to, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<DateTimeOffset?> LatestBucketEndAsync(string endpoint, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.LatestBucketEndAsync(db.Connection, endpoint, cancellationToken), cancellationToken);

    public async Task<FeedbackOutcome> AddLabelsAsync(string endpoint, IReadOnlyList<FeedbackLabel> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var outcome = await _db.WriteAsync(db => _records.AddLabelsAsync(db.Connection, db.Transaction!, endpoint, labels, cancellationToken), cancellationToken).ConfigureAwait(false);
        await _db.RefreshStatisticsAsync("monitoring_labels", labels.Count, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    public async Task<IReadOnlyList<DateTimeOffset>> StaleQualityBucketsAsync(string endpoint, CancellationToken cancellationToken = default) =>
        await _db.ReadAsync(db => _records.StaleQualityBucketsAsync(db.Connection, endpoint, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<LabeledPrediction>> ReadLabeledAsync(string endpoint, DateTimeOffset bucketStart, CancellationToken cancellationToken = default) =>
        await _db.ReadAsync(db => _records.ReadLabeledAsync(db.Connection, endpoint, bucketStart, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task PutQualityAsync(string endpoint, DateTimeOffset bucketStart, string quality, DateTimeOffset readAt, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.PutQualityAsync(db.Connection, db.Transaction!, endpoint, bucketStart, quality, readAt, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<LabelSummary> LabelSummaryAsync(string endpoint, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.LabelSummaryAsync(db.Connection, endpoint, cancellationToken), cancellationToken);

    public Task<long> PurgeAsync(DateTimeOffset bucketsBefore, DateTimeOffset unmatchedLabelsBefore, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.PurgeAsync(db.Connection, db.Transaction!, bucketsBefore, unmatchedLabelsBefore, cancellationToken), cancellationToken);

    public Task<MonitoringSettings?> GetSettingsAsync(string endpoint, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GetSettingsAsync(db.Connection, endpoint, cancellationToken), cancellationToken);

    public Task PutSettingsAsync(MonitoringSettings settings, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.PutSettingsAsync(db.Connection, db.Transaction!, settings, cancellationToken), cancellationToken);

    public Task DeleteEndpointAsync(string endpoint, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.DeleteEndpointAsync(db.Connection, db.Transaction!, endpoint, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }
}
