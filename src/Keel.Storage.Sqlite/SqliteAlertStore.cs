using Keel.Core.Coordination;
using Keel.Core.Monitoring;
using Keel.Storage.Monitoring;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Alerting on the same SQLite file as the other stores. The SQL is shared with PostgreSQL
/// (<see cref="AlertRecords"/>); writes go through the file's one writer, so a transition's check
/// of the open alert and its write cannot interleave with another.
/// </summary>
public sealed class SqliteAlertStore : IAlertStore, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly AlertRecords _records;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="time">The clock for timestamps and leases; the system clock when null.</param>
    public SqliteAlertStore(string databasePath, TimeProvider? time = null)
    {
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
        _records = new AlertRecords(namedParameters: true, rowLock: string.Empty, sequenceLock: string.Empty, databaseNow: null, time ?? TimeProvider.System);
    }

    public Task<AlertRule> PutRuleAsync(NewAlertRule rule, long? expectedVersion, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.PutRuleAsync(_db.Writer, tx, rule, expectedVersion, actor, cancellationToken), cancellationToken);

    public Task<AlertRule?> FindRuleAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindRuleAsync(c, null, name, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AlertRule>> ListRulesAsync(string? endpoint, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListRulesAsync(c, endpoint, cancellationToken), cancellationToken);

    public Task DeleteRuleAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.DeleteRuleAsync(_db.Writer, tx, name, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<AlertEvent?> ApplyTransitionAsync(AlertTransition transition, LeaseFence? fence, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.ApplyTransitionAsync(_db.Writer, tx, transition, fence, cancellationToken), cancellationToken);

    public Task<Alert?> FindAlertAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindAlertAsync(c, null, id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListAlertsAsync(c, query, cancellationToken), cancellationToken);

    public Task<Alert> AcknowledgeAsync(long id, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.AcknowledgeAsync(_db.Writer, tx, id, actor, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long after, int maxResults, long? alertId, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListEventsAsync(c, after, maxResults, alertId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(long alertId, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListDeliveriesAsync(c, alertId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PendingDelivery>> DueDeliveriesAsync(long now, int maxResults, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.DueDeliveriesAsync(c, now, maxResults, cancellationToken), cancellationToken);

    public Task RecordDeliveryAsync(DeliveryAttempt attempt, LeaseFence? fence, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.RecordDeliveryAsync(_db.Writer, tx, attempt, fence, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public void Dispose() => _handle.Dispose();

    // Microsoft.Data.Sqlite's asynchronous calls complete synchronously, so the shared asynchronous
    // SQL finishes inside the database's synchronous writer and reader callbacks.
    private Task<T> WriteAsync<T>(Func<Microsoft.Data.Sqlite.SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(tx => work(tx).GetAwaiter().GetResult(), cancellationToken);

    private Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(c => work(c).GetAwaiter().GetResult(), cancellationToken);
}
