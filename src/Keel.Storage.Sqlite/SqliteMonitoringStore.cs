using Keel.Core.Monitoring;
using Keel.Storage.Monitoring;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Monitoring buckets, the prediction index and labels on the same SQLite file as the other stores.
/// The SQL is shared with PostgreSQL (<see cref="MonitoringRecords"/>); writes go through the file's
/// one writer, so each batch is one transaction.
/// </summary>
public sealed class SqliteMonitoringStore : IMonitoringStore, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly MonitoringRecords _records;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="time">The clock for receipt times; the system clock when null.</param>
    public SqliteMonitoringStore(string databasePath, TimeProvider? time = null)
    {
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
        _records = new MonitoringRecords(namedParameters: true, time ?? TimeProvider.System);
    }

    public Task PutBucketAsync(MonitoringBucket bucket, IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.PutBucketAsync(_db.Writer, tx, bucket, predictions, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public async Task<IReadOnlyList<MonitoringBucket>> ListBucketsAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await ReadAsync(c => _records.ListBucketsAsync(c, endpoint, from, to, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<DateTimeOffset?> LatestBucketEndAsync(string endpoint, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.LatestBucketEndAsync(c, endpoint, cancellationToken), cancellationToken);

    public Task<FeedbackOutcome> AddLabelsAsync(string endpoint, IReadOnlyList<FeedbackLabel> labels, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.AddLabelsAsync(_db.Writer, tx, endpoint, labels, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<DateTimeOffset>> StaleQualityBucketsAsync(string endpoint, CancellationToken cancellationToken = default) =>
        await ReadAsync(c => _records.StaleQualityBucketsAsync(c, endpoint, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<LabeledPrediction>> ReadLabeledAsync(string endpoint, DateTimeOffset bucketStart, CancellationToken cancellationToken = default) =>
        await ReadAsync(c => _records.ReadLabeledAsync(c, endpoint, bucketStart, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task PutQualityAsync(string endpoint, DateTimeOffset bucketStart, string quality, DateTimeOffset readAt, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.PutQualityAsync(_db.Writer, tx, endpoint, bucketStart, quality, readAt, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<LabelSummary> LabelSummaryAsync(string endpoint, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.LabelSummaryAsync(c, endpoint, cancellationToken), cancellationToken);

    public Task<long> PurgeAsync(DateTimeOffset bucketsBefore, DateTimeOffset unmatchedLabelsBefore, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.PurgeAsync(_db.Writer, tx, bucketsBefore, unmatchedLabelsBefore, cancellationToken), cancellationToken);

    public Task<MonitoringSettings?> GetSettingsAsync(string endpoint, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GetSettingsAsync(c, endpoint, cancellationToken), cancellationToken);

    public Task PutSettingsAsync(MonitoringSettings settings, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.PutSettingsAsync(_db.Writer, tx, settings, cancellationToken), cancellationToken);

    public Task DeleteEndpointAsync(string endpoint, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.DeleteEndpointAsync(_db.Writer, tx, endpoint, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public void Dispose() => _handle.Dispose();

    // Microsoft.Data.Sqlite's asynchronous calls complete synchronously, so the shared asynchronous
    // SQL finishes inside the database's synchronous writer and reader callbacks.
    private Task<T> WriteAsync<T>(Func<Microsoft.Data.Sqlite.SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(tx => work(tx).GetAwaiter().GetResult(), cancellationToken);

    private Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(c => work(c).GetAwaiter().GetResult(), cancellationToken);
}
