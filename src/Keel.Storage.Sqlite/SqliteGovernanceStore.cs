using Keel.Core.Governance;
using Keel.Storage.Governance;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Users, tokens, permissions, groups and roles on the same SQLite file as the other stores. The SQL
/// is shared with PostgreSQL (<see cref="GovernanceRecords"/>); writes go through the file's one writer.
/// </summary>
public sealed class SqliteGovernanceStore : IGovernanceStore, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly GovernanceRecords _records;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public SqliteGovernanceStore(string databasePath, TimeProvider? time = null)
    {
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
        _records = new GovernanceRecords(namedParameters: true, time ?? TimeProvider.System);
    }

    public Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ChangeVersionAsync(c, null, cancellationToken), cancellationToken);

    public Task<KeelUser> CreateUserAsync(string username, string? passwordHash, bool isAdmin, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.CreateUserAsync(_db.Writer, tx, username, passwordHash, isAdmin, cancellationToken), cancellationToken);

    public Task<KeelUser?> FindUserAsync(string username, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindUserAsync(c, null, username, cancellationToken), cancellationToken);

    public Task<UserCredential?> FindCredentialAsync(string username, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindCredentialAsync(c, null, username, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListUsersAsync(c, cancellationToken), cancellationToken);

    public Task UpdatePasswordAsync(string username, string? passwordHash, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.UpdatePasswordAsync(_db.Writer, tx, username, passwordHash, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<KeelUser> UpdateAdminAsync(string username, bool isAdmin, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.UpdateAdminAsync(_db.Writer, tx, username, isAdmin, cancellationToken), cancellationToken);

    public Task DeleteUserAsync(string username, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.DeleteUserAsync(_db.Writer, tx, username, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<ApiToken> CreateTokenAsync(string id, string username, string name, byte[] secretHash, long? expiresAt, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.CreateTokenAsync(_db.Writer, tx, id, username, name, secretHash, expiresAt, cancellationToken), cancellationToken);

    public Task<(ApiToken Token, KeelUser User)?> FindTokenAsync(byte[] secretHash, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindTokenAsync(c, null, secretHash, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListTokensAsync(c, username, cancellationToken), cancellationToken);

    public Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.RevokeTokenAsync(_db.Writer, tx, id, cancellationToken), cancellationToken);

    public Task<ResourcePermission> CreatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.CreatePermissionAsync(_db.Writer, tx, kind, resource, username, level, cancellationToken), cancellationToken);

    public Task<ResourcePermission?> FindPermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindPermissionAsync(c, null, kind, resource, username, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ResourcePermission>> ListPermissionsAsync(string? username, PermissionResource? kind, string? resource, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListPermissionsAsync(c, username, kind, resource, cancellationToken), cancellationToken);

    public Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.UpdatePermissionAsync(_db.Writer, tx, kind, resource, username, level, cancellationToken), cancellationToken);

    public Task DeletePermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.DeletePermissionAsync(_db.Writer, tx, kind, resource, username, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task RenameResourceAsync(PermissionResource kind, string oldResource, string newResource, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.RenameResourceAsync(_db.Writer, tx, kind, oldResource, newResource, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task AddGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.AddGroupMemberAsync(_db.Writer, tx, group, username, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task RemoveGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.RemoveGroupMemberAsync(_db.Writer, tx, group, username, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListGroupsAsync(c, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> GroupsOfAsync(string username, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GroupsOfAsync(c, username, cancellationToken), cancellationToken);

    public Task<RoleBinding> SetRoleAsync(RoleBinding binding, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.SetRoleAsync(_db.Writer, tx, binding, cancellationToken), cancellationToken);

    public Task RemoveRoleAsync(string principal, string environment, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.RemoveRoleAsync(_db.Writer, tx, principal, environment, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListRolesAsync(c, cancellationToken), cancellationToken);

    public void Dispose() => _handle.Dispose();

    // Microsoft.Data.Sqlite's asynchronous calls complete synchronously, so the shared asynchronous
    // SQL finishes inside the database's synchronous writer and reader callbacks.
    private Task<T> WriteAsync<T>(Func<Microsoft.Data.Sqlite.SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(tx => work(tx).GetAwaiter().GetResult(), cancellationToken);

    private Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(c => work(c).GetAwaiter().GetResult(), cancellationToken);
}
