using Keel.Core.Coordination;
using Keel.Core.Monitoring;
using Keel.Storage.Monitoring;

namespace Keel.Storage.Postgres;

/// <summary>
/// Alerting on PostgreSQL, in the same database as the other stores. The SQL is shared with SQLite
/// (<see cref="AlertRecords"/>); a transition locks the rule and its open alert (<c>FOR UPDATE</c>),
/// event sequences are taken under a transaction-scoped advisory lock so they commit in order, and
/// lease fences are judged by the database's clock.
/// </summary>
public sealed class PostgresAlertStore : IAlertStore, IDisposable
{
    private const string NowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly AlertRecords _records;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public PostgresAlertStore(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    public PostgresAlertStore(string uri)
        : this(PostgresDatabase.Open(uri), null, ownsDatabase: true)
    {
    }

    private PostgresAlertStore(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
        _records = new AlertRecords(
            namedParameters: false, rowLock: " FOR UPDATE",
            sequenceLock: "SELECT pg_advisory_xact_lock(hashtext('keel/alert-events/' || current_schema()))",
            databaseNow: NowMs, time ?? TimeProvider.System);
    }

    public Task<AlertRule> PutRuleAsync(NewAlertRule rule, long? expectedVersion, string? actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.PutRuleAsync(db.Connection, db.Transaction, rule, expectedVersion, actor, cancellationToken), cancellationToken);

    public Task<AlertRule?> FindRuleAsync(string name, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindRuleAsync(db.Connection, db.Transaction, name, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AlertRule>> ListRulesAsync(string? endpoint, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListRulesAsync(db.Connection, endpoint, cancellationToken), cancellationToken);

    public Task DeleteRuleAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.DeleteRuleAsync(db.Connection, db.Transaction, name, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<AlertEvent?> ApplyTransitionAsync(AlertTransition transition, LeaseFence? fence, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.ApplyTransitionAsync(db.Connection, db.Transaction, transition, fence, cancellationToken), cancellationToken);

    public Task<Alert?> FindAlertAsync(long id, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindAlertAsync(db.Connection, db.Transaction, id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListAlertsAsync(db.Connection, query, cancellationToken), cancellationToken);

    public Task<Alert> AcknowledgeAsync(long id, string actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.AcknowledgeAsync(db.Connection, db.Transaction, id, actor, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long after, int maxResults, long? alertId, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListEventsAsync(db.Connection, after, maxResults, alertId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(long alertId, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListDeliveriesAsync(db.Connection, alertId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PendingDelivery>> DueDeliveriesAsync(long now, int maxResults, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.DueDeliveriesAsync(db.Connection, now, maxResults, cancellationToken), cancellationToken);

    public Task RecordDeliveryAsync(DeliveryAttempt attempt, LeaseFence? fence, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.RecordDeliveryAsync(db.Connection, db.Transaction, attempt, fence, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }
}
