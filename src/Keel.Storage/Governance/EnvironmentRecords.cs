using System.Data.Common;
using System.Globalization;
using System.Text;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Storage.Sql;

namespace Keel.Storage.Governance;

/// <summary>
/// The environment store's SQL, written once for SQLite and PostgreSQL over ADO.NET (as
/// <see cref="Monitoring.AlertRecords"/> is): policies, assignments, the change counter caches compare
/// against, and approvals with their transition table and version check. What differs is passed in:
/// how parameters are named and the row lock (PostgreSQL's <c>FOR UPDATE</c>; SQLite's one writer
/// serialises already).
/// </summary>
internal sealed class EnvironmentRecords : PortableSql
{
    private const string ApprovalColumns =
        "id, environment, action, resource, request, evidence, requester, reason, state, created_time, expires_time, decided_by, decided_time, comment, applied_time, result, error, version";

    private readonly string _lock;
    private readonly TimeProvider _time;

    /// <param name="namedParameters">True for SQLite (parameters named <c>$1</c>), false for PostgreSQL (positional).</param>
    /// <param name="rowLock">The clause that locks a selected row for the transaction, or empty.</param>
    /// <param name="time">The clock for timestamps and expiry.</param>
    public EnvironmentRecords(bool namedParameters, string rowLock, TimeProvider time)
        : base(namedParameters)
    {
        _lock = rowLock;
        _time = time;
    }

    public async Task<long> ChangeVersionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, null, cancellationToken, "SELECT version FROM environment_version WHERE id = 1").ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<EnvironmentPolicy>> ListPoliciesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var stored = await ListAsync(connection, null, cancellationToken, ReadPolicy, "SELECT name, requires_approval, approval_ttl_seconds FROM environment_policies").ConfigureAwait(false);
        return [.. EnvironmentDefaults.Policies.Where(d => stored.All(s => s.Name != d.Name)).Concat(stored).OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    public async Task<EnvironmentPolicy> GetPolicyAsync(DbConnection connection, string environment, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, null, cancellationToken, ReadPolicy, "SELECT name, requires_approval, approval_ttl_seconds FROM environment_policies WHERE name = $1", environment).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : EnvironmentDefaults.PolicyOf(environment);
    }

    public async Task<EnvironmentPolicy> PutPolicyAsync(DbConnection connection, DbTransaction transaction, EnvironmentPolicy policy, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO environment_policies (name, requires_approval, approval_ttl_seconds, updated_time) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (name) DO UPDATE SET requires_approval = excluded.requires_approval, approval_ttl_seconds = excluded.approval_ttl_seconds, updated_time = excluded.updated_time",
            policy.Name, policy.RequiresApproval ? 1L : 0L, policy.ApprovalTtlSeconds, Now()).ConfigureAwait(false);
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        return policy;
    }

    public async Task<IReadOnlyList<EnvironmentAssignment>> ListAssignmentsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ListAsync(
            connection, null, cancellationToken,
            r => new EnvironmentAssignment(Kind(r.GetString(0)), r.GetString(1), r.GetString(2)),
            "SELECT kind, resource, environment FROM environment_assignments ORDER BY kind, resource").ConfigureAwait(false);

    public async Task<EnvironmentAssignment> AssignAsync(DbConnection connection, DbTransaction transaction, EnvironmentAssignment assignment, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO environment_assignments (kind, resource, environment, updated_time) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (kind, resource) DO UPDATE SET environment = excluded.environment, updated_time = excluded.updated_time",
            KindName(assignment.Kind), assignment.Resource, assignment.Environment, Now()).ConfigureAwait(false);
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        return assignment;
    }

    public async Task UnassignAsync(DbConnection connection, DbTransaction transaction, GovernedResource kind, string resource, CancellationToken cancellationToken)
    {
        var removed = await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM environment_assignments WHERE kind = $1 AND resource = $2", KindName(kind), resource).ConfigureAwait(false);
        if (removed == 0)
        {
            throw KeelException.NotFound($"{KindName(kind)} '{resource}' is not assigned to an environment.");
        }

        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Approval> CreateApprovalAsync(DbConnection connection, DbTransaction transaction, NewApproval a, CancellationToken cancellationToken)
    {
        var id = Convert.ToInt64(await ScalarAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO approvals (environment, action, resource, request, evidence, requester, reason, state, created_time, expires_time, version) "
            + "VALUES ($1, $2, $3, $4, CAST($5 AS TEXT), $6, CAST($7 AS TEXT), $8, $9, $10, 1) RETURNING id",
            a.Environment, a.Action, a.Resource, a.Request, a.Evidence, a.Requester, a.Reason, ApprovalTransitions.Name(ApprovalState.Requested), Now(), a.ExpiresAt).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return (await FindApprovalAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<Approval?> FindApprovalAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken, bool locked = false)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, ReadApproval, "SELECT " + ApprovalColumns + " FROM approvals WHERE id = $1" + (locked ? _lock : string.Empty), id).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<Approval>> ListApprovalsAsync(DbConnection connection, ApprovalQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT " + ApprovalColumns + " FROM approvals WHERE 1 = 1");
        var values = new List<object?>();
        void Filter(string column, string? value)
        {
            if (value is not null)
            {
                values.Add(value);
                sql.Append(CultureInfo.InvariantCulture, $" AND {column} = ${values.Count}");
            }
        }

        Filter("state", query.State is { } s ? ApprovalTransitions.Name(s) : null);
        Filter("environment", query.Environment);
        values.Add((long)query.MaxResults);
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY id DESC LIMIT ${values.Count}");
        return await ListAsync(connection, null, cancellationToken, ReadApproval, sql.ToString(), [.. values]).ConfigureAwait(false);
    }

    public async Task<Approval> DecideAsync(DbConnection connection, DbTransaction transaction, long id, ApprovalDecision d, CancellationToken cancellationToken)
    {
        var current = await FindApprovalAsync(connection, transaction, id, cancellationToken, locked: true).ConfigureAwait(false)
            ?? throw KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Approval {id} does not exist."));
        if (d.ExpectedVersion is { } expected && expected != current.Version)
        {
            throw new KeelException(
                ErrorCode.ResourceConflict,
                string.Create(CultureInfo.InvariantCulture, $"Approval {id} changed: the decision was made from version {expected}, but it is at version {current.Version} ({ApprovalTransitions.Name(current.State)}). Read it again."));
        }

        if (!ApprovalTransitions.IsAllowed(current.State, d.To))
        {
            throw new KeelException(
                ErrorCode.ResourceConflict,
                string.Create(CultureInfo.InvariantCulture, $"Approval {id} is {ApprovalTransitions.Name(current.State)}; it cannot become {ApprovalTransitions.Name(d.To)}."));
        }

        var now = Now();
        if (d.To == ApprovalState.Approved && current.ExpiresAt <= now)
        {
            throw new KeelException(ErrorCode.ResourceConflict, string.Create(CultureInfo.InvariantCulture, $"Approval {id} expired; it can no longer be approved. Request the change again."));
        }

        var to = ApprovalTransitions.Name(d.To);
        if (d.To is ApprovalState.Applied or ApprovalState.Failed)
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "UPDATE approvals SET state = $2, applied_time = $3, result = CAST($4 AS TEXT), error = CAST($5 AS TEXT), version = version + 1 WHERE id = $1",
                id, to, now, d.Result, d.Error).ConfigureAwait(false);
        }
        else
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "UPDATE approvals SET state = $2, decided_by = CAST($3 AS TEXT), decided_time = $4, comment = CAST($5 AS TEXT), version = version + 1 WHERE id = $1",
                id, to, d.By, now, d.Comment).ConfigureAwait(false);
        }

        return (await FindApprovalAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The stored name of a resource kind.</summary>
    public static string KindName(GovernedResource kind) => kind switch
    {
        GovernedResource.Endpoint => "endpoint",
        GovernedResource.ModelAlias => "model_alias",
        GovernedResource.Pipeline => "pipeline",
        GovernedResource.Dataset => "dataset",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a governed resource kind."),
    };

    private static GovernedResource Kind(string name) => name switch
    {
        "endpoint" => GovernedResource.Endpoint,
        "model_alias" => GovernedResource.ModelAlias,
        "pipeline" => GovernedResource.Pipeline,
        "dataset" => GovernedResource.Dataset,
        _ => throw new KeelException(ErrorCode.InternalError, $"Stored resource kind '{name}' is unknown."),
    };

    private static long Long(DbDataReader r, int ordinal) => Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static long? NullableLong(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Long(r, ordinal);

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static EnvironmentPolicy ReadPolicy(DbDataReader r) => new(r.GetString(0), Long(r, 1) != 0, Long(r, 2));

    private static Approval ReadApproval(DbDataReader r) => new(
        Long(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Text(r, 5), r.GetString(6), Text(r, 7),
        ApprovalTransitions.Parse(r.GetString(8)) ?? throw new KeelException(ErrorCode.InternalError, $"Stored approval state '{r.GetString(8)}' is unknown."),
        Long(r, 9), Long(r, 10), Text(r, 11), NullableLong(r, 12), Text(r, 13), NullableLong(r, 14), Text(r, 15), Text(r, 16), Long(r, 17));

    private Task<int> BumpAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, cancellationToken, "INSERT INTO environment_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = environment_version.version + 1");

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
