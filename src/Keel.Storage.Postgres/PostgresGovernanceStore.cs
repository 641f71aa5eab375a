using Keel.Core.Governance;
using Keel.Storage.Governance;

namespace Keel.Storage.Postgres;

/// <summary>
/// Users, tokens, permissions, groups and roles on PostgreSQL, in the same database as the other
/// stores. The SQL is shared with SQLite (<see cref="GovernanceRecords"/>); every write first raises
/// the change counter's row, which also orders concurrent governance writes.
/// </summary>
public sealed class PostgresGovernanceStore : IGovernanceStore, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly GovernanceRecords _records;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public PostgresGovernanceStore(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    public PostgresGovernanceStore(string uri)
        : this(PostgresDatabase.Open(uri), null, ownsDatabase: true)
    {
    }

    private PostgresGovernanceStore(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
        _records = new GovernanceRecords(namedParameters: false, time ?? TimeProvider.System);
    }

    public Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ChangeVersionAsync(db.Connection, db.Transaction, cancellationToken), cancellationToken);

    public Task<KeelUser> CreateUserAsync(string username, string? passwordHash, bool isAdmin, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.CreateUserAsync(db.Connection, db.Transaction, username, passwordHash, isAdmin, cancellationToken), cancellationToken);

    public Task<KeelUser?> FindUserAsync(string username, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindUserAsync(db.Connection, db.Transaction, username, cancellationToken), cancellationToken);

    public Task<UserCredential?> FindCredentialAsync(string username, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindCredentialAsync(db.Connection, db.Transaction, username, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListUsersAsync(db.Connection, cancellationToken), cancellationToken);

    public Task UpdatePasswordAsync(string username, string? passwordHash, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.UpdatePasswordAsync(db.Connection, db.Transaction, username, passwordHash, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<KeelUser> UpdateAdminAsync(string username, bool isAdmin, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.UpdateAdminAsync(db.Connection, db.Transaction, username, isAdmin, cancellationToken), cancellationToken);

    public Task DeleteUserAsync(string username, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.DeleteUserAsync(db.Connection, db.Transaction, username, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<ApiToken> CreateTokenAsync(string id, string username, string name, byte[] secretHash, long? expiresAt, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.CreateTokenAsync(db.Connection, db.Transaction, id, username, name, secretHash, expiresAt, cancellationToken), cancellationToken);

    public Task<(ApiToken Token, KeelUser User)?> FindTokenAsync(byte[] secretHash, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindTokenAsync(db.Connection, db.Transaction, secretHash, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListTokensAsync(db.Connection, username, cancellationToken), cancellationToken);

    public Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.RevokeTokenAsync(db.Connection, db.Transaction, id, cancellationToken), cancellationToken);

    public Task<ResourcePermission> CreatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.CreatePermissionAsync(db.Connection, db.Transaction, kind, resource, username, level, cancellationToken), cancellationToken);

    public Task<ResourcePermission?> FindPermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindPermissionAsync(db.Connection, db.Transaction, kind, resource, username, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ResourcePermission>> ListPermissionsAsync(string? username, PermissionResource? kind, string? resource, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListPermissionsAsync(db.Connection, username, kind, resource, cancellationToken), cancellationToken);

    public Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.UpdatePermissionAsync(db.Connection, db.Transaction, kind, resource, username, level, cancellationToken), cancellationToken);

    public Task DeletePermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.DeletePermissionAsync(db.Connection, db.Transaction, kind, resource, username, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task RenameResourceAsync(PermissionResource kind, string oldResource, string newResource, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.RenameResourceAsync(db.Connection, db.Transaction, kind, oldResource, newResource, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task AddGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.AddGroupMemberAsync(db.Connection, db.Transaction, group, username, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task RemoveGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.RemoveGroupMemberAsync(db.Connection, db.Transaction, group, username, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListGroupsAsync(db.Connection, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> GroupsOfAsync(string username, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GroupsOfAsync(db.Connection, username, cancellationToken), cancellationToken);

    public Task<RoleBinding> SetRoleAsync(RoleBinding binding, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.SetRoleAsync(db.Connection, db.Transaction, binding, cancellationToken), cancellationToken);

    public Task RemoveRoleAsync(string principal, string environment, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.RemoveRoleAsync(db.Connection, db.Transaction, principal, environment, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListRolesAsync(db.Connection, cancellationToken), cancellationToken);

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }
}
