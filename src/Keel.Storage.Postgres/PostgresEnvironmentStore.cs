using Keel.Core.Governance;
using Keel.Storage.Governance;

namespace Keel.Storage.Postgres;

/// <summary>
/// Environments, assignments and approvals on PostgreSQL, in the same database as the other stores.
/// The SQL is shared with SQLite (<see cref="EnvironmentRecords"/>); a decision locks its approval
/// row (<c>FOR UPDATE</c>), so two replicas deciding at once cannot both pass the version check.
/// </summary>
public sealed class PostgresEnvironmentStore : IEnvironmentStore, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly EnvironmentRecords _records;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for timestamps and expiry; the system clock when null.</param>
    public PostgresEnvironmentStore(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    public PostgresEnvironmentStore(string uri)
        : this(PostgresDatabase.Open(uri), null, ownsDatabase: true)
    {
    }

    private PostgresEnvironmentStore(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
        _records = new EnvironmentRecords(namedParameters: false, rowLock: " FOR UPDATE", time ?? TimeProvider.System);
    }

    public Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ChangeVersionAsync(db.Connection, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<EnvironmentPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListPoliciesAsync(db.Connection, cancellationToken), cancellationToken);

    public Task<EnvironmentPolicy> GetPolicyAsync(string environment, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GetPolicyAsync(db.Connection, environment, cancellationToken), cancellationToken);

    public Task<EnvironmentPolicy> PutPolicyAsync(EnvironmentPolicy policy, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.PutPolicyAsync(db.Connection, db.Transaction, policy, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<EnvironmentAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListAssignmentsAsync(db.Connection, cancellationToken), cancellationToken);

    public Task<EnvironmentAssignment> AssignAsync(EnvironmentAssignment assignment, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.AssignAsync(db.Connection, db.Transaction, assignment, cancellationToken), cancellationToken);

    public Task UnassignAsync(GovernedResource kind, string resource, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.UnassignAsync(db.Connection, db.Transaction, kind, resource, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<Approval> CreateApprovalAsync(NewApproval approval, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.CreateApprovalAsync(db.Connection, db.Transaction, approval, cancellationToken), cancellationToken);

    public Task<Approval?> FindApprovalAsync(long id, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindApprovalAsync(db.Connection, db.Transaction, id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalQuery query, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListApprovalsAsync(db.Connection, query, cancellationToken), cancellationToken);

    public Task<Approval> DecideAsync(long id, ApprovalDecision decision, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.DecideAsync(db.Connection, db.Transaction, id, decision, cancellationToken), cancellationToken);

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }
}
