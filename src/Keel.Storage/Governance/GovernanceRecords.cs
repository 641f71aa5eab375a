using System.Data.Common;
using System.Globalization;
using System.Text;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Storage.Sql;

namespace Keel.Storage.Governance;

/// <summary>
/// The governance store's SQL, written once for SQLite and PostgreSQL (as <see cref="Monitoring.AlertRecords"/>
/// is). Every write ends by raising the single row of <c>governance_changes</c> in the same
/// transaction, so a cache that read version N has seen every write up to N; on PostgreSQL the row
/// lock also serialises governance writes. Existence is checked inside the transaction, so a missing
/// user or a taken name is MLflow's error rather than a driver's constraint message.
/// </summary>
internal sealed class GovernanceRecords : PortableSql
{
    private const string UserColumns = "u.id, u.username, u.is_admin, u.created_time";
    private const string TokenColumns = "t.id, u.username, t.name, t.created_time, t.expires_at, t.revoked_at";
    private const string PermissionColumns = "p.kind, p.resource, u.username, u.id, p.permission";

    private readonly TimeProvider _time;

    /// <param name="namedParameters">True for SQLite (parameters named <c>$1</c>), false for PostgreSQL (positional).</param>
    /// <param name="time">The clock for timestamps.</param>
    public GovernanceRecords(bool namedParameters, TimeProvider time)
        : base(namedParameters) => _time = time;

    public async Task<long> ChangeVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, transaction, cancellationToken, "SELECT version FROM governance_changes WHERE id = 1").ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture);

    public async Task<KeelUser> CreateUserAsync(DbConnection connection, DbTransaction transaction, string username, string? passwordHash, bool isAdmin, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (await FindUserAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw KeelException.AlreadyExists($"User (username={username}) already exists.");
        }

        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO users (username, password_hash, is_admin, created_time) VALUES ($1, $2, $3, $4)",
            username, passwordHash, isAdmin ? 1L : 0L, Now()).ConfigureAwait(false);
        return (await FindUserAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<KeelUser?> FindUserAsync(DbConnection connection, DbTransaction? transaction, string username, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, ReadUser, "SELECT " + UserColumns + " FROM users u WHERE u.username = $1", username).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<UserCredential?> FindCredentialAsync(DbConnection connection, DbTransaction? transaction, string username, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, transaction, cancellationToken, r => new UserCredential(ReadUser(r), r.IsDBNull(4) ? null : r.GetString(4)),
            "SELECT " + UserColumns + ", u.password_hash FROM users u WHERE u.username = $1", username).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<KeelUser>> ListUsersAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ListAsync(connection, null, cancellationToken, ReadUser, "SELECT " + UserColumns + " FROM users u ORDER BY u.username").ConfigureAwait(false);

    public async Task UpdatePasswordAsync(DbConnection connection, DbTransaction transaction, string username, string? passwordHash, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE users SET password_hash = $2 WHERE username = $1", username, passwordHash).ConfigureAwait(false) == 0)
        {
            throw UserNotFound(username);
        }
    }

    public async Task<KeelUser> UpdateAdminAsync(DbConnection connection, DbTransaction transaction, string username, bool isAdmin, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE users SET is_admin = $2 WHERE username = $1", username, isAdmin ? 1L : 0L).ConfigureAwait(false) == 0)
        {
            throw UserNotFound(username);
        }

        return (await FindUserAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task DeleteUserAsync(DbConnection connection, DbTransaction transaction, string username, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var user = await RequireUserAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM api_tokens WHERE user_id = $1", user.Id).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM resource_permissions WHERE user_id = $1", user.Id).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM group_members WHERE user_id = $1", user.Id).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM role_bindings WHERE principal = $1", "user:" + username).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM users WHERE id = $1", user.Id).ConfigureAwait(false);
    }

    public async Task<ApiToken> CreateTokenAsync(DbConnection connection, DbTransaction transaction, string id, string username, string name, byte[] secretHash, long? expiresAt, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var user = await RequireUserAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false);
        if (await ScalarAsync(connection, transaction, cancellationToken, "SELECT 1 FROM api_tokens WHERE id = $1 OR secret_hash = $2", id, secretHash).ConfigureAwait(false) is not null)
        {
            throw KeelException.AlreadyExists($"Token '{id}' already exists.");
        }

        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO api_tokens (id, user_id, name, secret_hash, created_time, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)",
            id, user.Id, name, secretHash, Now(), expiresAt).ConfigureAwait(false);
        return (await FindTokenByIdAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<(ApiToken Token, KeelUser User)?> FindTokenAsync(DbConnection connection, DbTransaction? transaction, byte[] secretHash, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, transaction, cancellationToken, r => (ReadToken(r, 0), ReadUser(r, 6)),
            "SELECT " + TokenColumns + ", " + UserColumns + " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = $1", secretHash).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(DbConnection connection, string? username, CancellationToken cancellationToken) =>
        username is null
            ? await ListAsync(connection, null, cancellationToken, r => ReadToken(r, 0), "SELECT " + TokenColumns + " FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.created_time DESC, t.ord DESC").ConfigureAwait(false)
            : await ListAsync(connection, null, cancellationToken, r => ReadToken(r, 0), "SELECT " + TokenColumns + " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.username = $1 ORDER BY t.created_time DESC, t.ord DESC", username).ConfigureAwait(false);

    public async Task<ApiToken> RevokeTokenAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        _ = await FindTokenByIdAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false) ?? throw KeelException.NotFound($"Token '{id}' does not exist.");
        await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", id, Now()).ConfigureAwait(false);
        return (await FindTokenByIdAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<ResourcePermission> CreatePermissionAsync(DbConnection connection, DbTransaction transaction, PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var user = await RequireUserAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false);
        if (await FindPermissionAsync(connection, transaction, kind, resource, username, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw KeelException.AlreadyExists(kind == PermissionResource.Experiment
                ? $"Experiment permission (experiment_id={resource}, username={username}) already exists."
                : $"Registered model permission (name={resource}, username={username}) already exists.");
        }

        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO resource_permissions (kind, resource, user_id, permission) VALUES ($1, $2, $3, $4)",
            KindName(kind), resource, user.Id, level.Name()).ConfigureAwait(false);
        return new ResourcePermission(kind, resource, user.Username, user.Id, level);
    }

    public async Task<ResourcePermission?> FindPermissionAsync(DbConnection connection, DbTransaction? transaction, PermissionResource kind, string resource, string username, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, transaction, cancellationToken, ReadPermission,
            "SELECT " + PermissionColumns + " FROM resource_permissions p JOIN users u ON u.id = p.user_id WHERE p.kind = $1 AND p.resource = $2 AND u.username = $3",
            KindName(kind), resource, username).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<ResourcePermission>> ListPermissionsAsync(DbConnection connection, string? username, PermissionResource? kind, string? resource, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT " + PermissionColumns + " FROM resource_permissions p JOIN users u ON u.id = p.user_id WHERE 1 = 1");
        var values = new List<object?>();
        void Filter(string column, string? value)
        {
            if (value is not null)
            {
                values.Add(value);
                sql.Append(CultureInfo.InvariantCulture, $" AND {column} = ${values.Count}");
            }
        }

        Filter("u.username", username);
        Filter("p.kind", kind is { } k ? KindName(k) : null);
        Filter("p.resource", resource);
        sql.Append(" ORDER BY p.kind, p.resource, u.username");
        return await ListAsync(connection, null, cancellationToken, ReadPermission, sql.ToString(), [.. values]).ConfigureAwait(false);
    }

    public async Task<ResourcePermission> UpdatePermissionAsync(DbConnection connection, DbTransaction transaction, PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var row = await FindPermissionAsync(connection, transaction, kind, resource, username, cancellationToken).ConfigureAwait(false)
            ?? throw PermissionNotFound(kind, resource, username);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "UPDATE resource_permissions SET permission = $4 WHERE kind = $1 AND resource = $2 AND user_id = $3",
            KindName(kind), resource, row.UserId, level.Name()).ConfigureAwait(false);
        return row with { Permission = level };
    }

    public async Task DeletePermissionAsync(DbConnection connection, DbTransaction transaction, PermissionResource kind, string resource, string username, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var row = await FindPermissionAsync(connection, transaction, kind, resource, username, cancellationToken).ConfigureAwait(false)
            ?? throw PermissionNotFound(kind, resource, username);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "DELETE FROM resource_permissions WHERE kind = $1 AND resource = $2 AND user_id = $3", KindName(kind), resource, row.UserId).ConfigureAwait(false);
    }

    public async Task RenameResourceAsync(DbConnection connection, DbTransaction transaction, PermissionResource kind, string oldResource, string newResource, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "UPDATE resource_permissions SET resource = $3 WHERE kind = $1 AND resource = $2", KindName(kind), oldResource, newResource).ConfigureAwait(false);
    }

    public async Task AddGroupMemberAsync(DbConnection connection, DbTransaction transaction, string group, string username, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var user = await RequireUserAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "INSERT INTO user_groups (name, created_time) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", group, Now()).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "INSERT INTO group_members (group_name, user_id) VALUES ($1, $2) ON CONFLICT (group_name, user_id) DO NOTHING", group, user.Id).ConfigureAwait(false);
    }

    public async Task RemoveGroupMemberAsync(DbConnection connection, DbTransaction transaction, string group, string username, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "DELETE FROM group_members WHERE group_name = $1 AND user_id IN (SELECT id FROM users WHERE username = $2)", group, username).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, null, cancellationToken, r => (Group: r.GetString(0), Member: r.IsDBNull(1) ? null : r.GetString(1)),
            "SELECT g.name, u.username FROM user_groups g LEFT JOIN group_members m ON m.group_name = g.name LEFT JOIN users u ON u.id = m.user_id ORDER BY g.name, u.username").ConfigureAwait(false);
        return rows.GroupBy(r => r.Group, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Where(r => r.Member is not null).Select(r => r.Member!).ToList()))
            .ToList();
    }

    public async Task<IReadOnlyList<string>> GroupsOfAsync(DbConnection connection, string username, CancellationToken cancellationToken) =>
        await ListAsync(
            connection, null, cancellationToken, r => r.GetString(0),
            "SELECT m.group_name FROM group_members m JOIN users u ON u.id = m.user_id WHERE u.username = $1 ORDER BY m.group_name", username).ConfigureAwait(false);

    public async Task<RoleBinding> SetRoleAsync(DbConnection connection, DbTransaction transaction, RoleBinding binding, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO role_bindings (principal, environment, role) VALUES ($1, $2, $3) ON CONFLICT (principal, environment) DO UPDATE SET role = excluded.role",
            binding.Principal, binding.Environment, RoleName(binding.Role)).ConfigureAwait(false);
        return binding;
    }

    public async Task RemoveRoleAsync(DbConnection connection, DbTransaction transaction, string principal, string environment, CancellationToken cancellationToken)
    {
        await BumpAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM role_bindings WHERE principal = $1 AND environment = $2", principal, environment).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RoleBinding>> ListRolesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ListAsync(
            connection, null, cancellationToken, r => new RoleBinding(r.GetString(0), r.GetString(1), ParseRole(r.GetString(2))),
            "SELECT principal, environment, role FROM role_bindings ORDER BY principal, environment").ConfigureAwait(false);

    /// <summary>The stored (and wire) name of a role.</summary>
    public static string RoleName(EnvironmentRole role) => role.ToString().ToLowerInvariant();

    private static EnvironmentRole ParseRole(string name) => Enum.TryParse<EnvironmentRole>(name, ignoreCase: true, out var role) ? role : EnvironmentRole.None;

    private static string KindName(PermissionResource kind) => kind == PermissionResource.Experiment ? "experiment" : "registered_model";

    private static KeelException UserNotFound(string username) => KeelException.NotFound($"User with username={username} not found");

    private static KeelException PermissionNotFound(PermissionResource kind, string resource, string username) =>
        KeelException.NotFound(kind == PermissionResource.Experiment
            ? $"Experiment permission with experiment_id={resource} and username={username} not found"
            : $"Registered model permission with name={resource} and username={username} not found");

    private static long Long(DbDataReader r, int ordinal) => Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static long? NullableLong(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Long(r, ordinal);

    private static KeelUser ReadUser(DbDataReader r) => ReadUser(r, 0);

    private static KeelUser ReadUser(DbDataReader r, int o) => new(Long(r, o), r.GetString(o + 1), Long(r, o + 2) != 0, Long(r, o + 3));

    private static ApiToken ReadToken(DbDataReader r, int o) => new(r.GetString(o), r.GetString(o + 1), r.GetString(o + 2), Long(r, o + 3), NullableLong(r, o + 4), NullableLong(r, o + 5));

    private static ResourcePermission ReadPermission(DbDataReader r) => new(
        r.GetString(0) == "experiment" ? PermissionResource.Experiment : PermissionResource.RegisteredModel,
        r.GetString(1), r.GetString(2), Long(r, 3),
        PermissionLevels.TryParse(r.GetString(4), out var level) ? level.Value : PermissionLevel.NoPermissions);

    private async Task<KeelUser> RequireUserAsync(DbConnection connection, DbTransaction transaction, string username, CancellationToken cancellationToken) =>
        await FindUserAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false) ?? throw UserNotFound(username);

    private async Task<ApiToken?> FindTokenByIdAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, r => ReadToken(r, 0), "SELECT " + TokenColumns + " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1", id).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    // First in every write: on PostgreSQL the row lock orders concurrent governance writes, and the
    // raised number commits (or rolls back) with the change it counts.
    private Task BumpAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO governance_changes (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = governance_changes.version + 1");

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
