using Keel.Core.Governance;
using Keel.Storage.Governance;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Environments, assignments and approvals on the same SQLite file as the other stores. The SQL is
/// shared with PostgreSQL (<see cref="EnvironmentRecords"/>); decisions go through the file's one
/// writer, so a version check and its write cannot interleave with another decision.
/// </summary>
public sealed class SqliteEnvironmentStore : IEnvironmentStore, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly EnvironmentRecords _records;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="time">The clock for timestamps and expiry; the system clock when null.</param>
    public SqliteEnvironmentStore(string databasePath, TimeProvider? time = null)
    {
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
        _records = new EnvironmentRecords(namedParameters: true, rowLock: string.Empty, time ?? TimeProvider.System);
    }

    public Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ChangeVersionAsync(c, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<EnvironmentPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListPoliciesAsync(c, cancellationToken), cancellationToken);

    public Task<EnvironmentPolicy> GetPolicyAsync(string environment, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GetPolicyAsync(c, environment, cancellationToken), cancellationToken);

    public Task<EnvironmentPolicy> PutPolicyAsync(EnvironmentPolicy policy, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.PutPolicyAsync(_db.Writer, tx, policy, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<EnvironmentAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListAssignmentsAsync(c, cancellationToken), cancellationToken);

    public Task<EnvironmentAssignment> AssignAsync(EnvironmentAssignment assignment, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.AssignAsync(_db.Writer, tx, assignment, cancellationToken), cancellationToken);

    public Task UnassignAsync(GovernedResource kind, string resource, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.UnassignAsync(_db.Writer, tx, kind, resource, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<Approval> CreateApprovalAsync(NewApproval approval, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.CreateApprovalAsync(_db.Writer, tx, approval, cancellationToken), cancellationToken);

    public Task<Approval?> FindApprovalAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindApprovalAsync(c, null, id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListApprovalsAsync(c, query, cancellationToken), cancellationToken);

    public Task<Approval> DecideAsync(long id, ApprovalDecision decision, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.DecideAsync(_db.Writer, tx, id, decision, cancellationToken), cancellationToken);

    public void Dispose() => _handle.Dispose();

    // Microsoft.Data.Sqlite's asynchronous calls complete synchronously, so the shared asynchronous
    // SQL finishes inside the database's synchronous writer and reader callbacks.
    private Task<T> WriteAsync<T>(Func<Microsoft.Data.Sqlite.SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(tx => work(tx).GetAwaiter().GetResult(), cancellationToken);

    private Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(c => work(c).GetAwaiter().GetResult(), cancellationToken);
}
