using Keel.Core.Governance;
using Keel.Storage.Governance;

namespace Keel.Storage.Sqlite;

/// <summary>
/// The audit log on the same SQLite file as the other stores. The SQL is shared with PostgreSQL
/// (<see cref="AuditRecords"/>); appends go through the file's one writer, which reads the head and
/// inserts the next event in one transaction, so the chain cannot fork.
/// </summary>
public sealed class SqliteAuditLog : IAuditLog, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly AuditRecords _records;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="time">The clock for event times; the system clock when null.</param>
    public SqliteAuditLog(string databasePath, TimeProvider? time = null)
    {
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
        _records = new AuditRecords(namedParameters: true, appendLock: string.Empty, time ?? TimeProvider.System);
    }

    public Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(tx => _records.AppendAsync(_db.Writer, tx, entry, cancellationToken).GetAwaiter().GetResult(), cancellationToken);

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default) => AppendAsync(entry, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(c => _records.QueryAsync(c, null, query, cancellationToken).GetAwaiter().GetResult(), cancellationToken);

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(c => SqliteAuditChainReader.Verify(c, cancellationToken), cancellationToken);

    public void Dispose() => _handle.Dispose();
}
