using Keel.Core.Governance;
using Keel.Storage.Governance;

namespace Keel.Storage.Postgres;

/// <summary>
/// The audit log on PostgreSQL. The SQL is shared with SQLite (<see cref="AuditRecords"/>); an
/// append first takes a transaction-scoped advisory lock, then reads the head and inserts the next
/// event in the same transaction, so appends from several replicas queue and the chain never forks.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly AuditRecords _records;

    /// <summary>A log on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for event times; the system clock when null.</param>
    public PostgresAuditLog(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A log that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    public PostgresAuditLog(string uri)
        : this(PostgresDatabase.Open(uri), null, ownsDatabase: true)
    {
    }

    private PostgresAuditLog(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
        _records = new AuditRecords(
            namedParameters: false,
            appendLock: "SELECT pg_advisory_xact_lock(hashtext('keel/audit-events/' || current_schema()))",
            time ?? TimeProvider.System);
    }

    public Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.AppendAsync(db.Connection, db.Transaction, entry, cancellationToken), cancellationToken);

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default) => AppendAsync(entry, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.QueryAsync(db.Connection, db.Transaction, query, cancellationToken), cancellationToken);

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.VerifyAsync(db.Connection, db.Transaction, cancellationToken), cancellationToken);

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }
}
