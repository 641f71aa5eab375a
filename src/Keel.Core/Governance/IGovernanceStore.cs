namespace Keel.Core.Governance;

/// <summary>
/// Who may do what, on a metadata backend: users and their password hashes, API tokens (hashes only),
/// MLflow's per-experiment and per-registered-model permissions, groups, and the roles users and
/// groups hold in each environment (which environment a resource belongs to is kept with the
/// approvals, in the environment store).
/// Every write raises <see cref="ChangeVersionAsync"/>, so a server's caches can tell they are behind.
/// Names are validated above the store; the store enforces uniqueness and existence.
/// </summary>
public interface IGovernanceStore
{
    /// <summary>A number that grows with every write to this store; caches compare it to know they are stale.</summary>
    Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a user.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_ALREADY_EXISTS when the name is taken.</exception>
    Task<KeelUser> CreateUserAsync(string username, string? passwordHash, bool isAdmin, CancellationToken cancellationToken = default);

    /// <summary>The user, or null.</summary>
    Task<KeelUser?> FindUserAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>The user with the stored password hash, or null.</summary>
    Task<UserCredential?> FindCredentialAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>All users by name.</summary>
    Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces a user's password hash.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no such user.</exception>
    Task UpdatePasswordAsync(string username, string? passwordHash, CancellationToken cancellationToken = default);

    /// <summary>Makes a user an admin or not.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no such user.</exception>
    Task<KeelUser> UpdateAdminAsync(string username, bool isAdmin, CancellationToken cancellationToken = default);

    /// <summary>Deletes a user with their tokens, permissions, memberships and role bindings.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no such user.</exception>
    Task DeleteUserAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Stores a new token's record and the hash of its secret.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no such user.</exception>
    Task<ApiToken> CreateTokenAsync(string id, string username, string name, byte[] secretHash, long? expiresAt, CancellationToken cancellationToken = default);

    /// <summary>The token whose secret hashes to <paramref name="secretHash"/>, with its user, or null. Revoked and expired tokens are returned too; the caller checks <see cref="ApiToken.IsActive"/>.</summary>
    Task<(ApiToken Token, KeelUser User)?> FindTokenAsync(byte[] secretHash, CancellationToken cancellationToken = default);

    /// <summary>A user's tokens (all users' when null), newest first.</summary>
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, CancellationToken cancellationToken = default);

    /// <summary>Revokes a token; revoking a revoked token keeps its first revocation time.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no such token.</exception>
    Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Creates a permission row.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown user; RESOURCE_ALREADY_EXISTS when the user already has a row on the resource.</exception>
    Task<ResourcePermission> CreatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default);

    /// <summary>The user's row on the resource, or null (then the default applies).</summary>
    Task<ResourcePermission?> FindPermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default);

    /// <summary>Rows of one user (every kind), or of one resource when <paramref name="username"/> is null and <paramref name="resource"/> is set.</summary>
    Task<IReadOnlyList<ResourcePermission>> ListPermissionsAsync(string? username, PermissionResource? kind, string? resource, CancellationToken cancellationToken = default);

    /// <summary>Changes a row's level.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no row.</exception>
    Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default);

    /// <summary>Deletes a row.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no row.</exception>
    Task DeletePermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default);

    /// <summary>Moves every row of a renamed registered model to its new name (MLflow keeps permissions across a rename).</summary>
    Task RenameResourceAsync(PermissionResource kind, string oldResource, string newResource, CancellationToken cancellationToken = default);

    /// <summary>Adds a user to a group, creating the group on first use; idempotent.</summary>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown user.</exception>
    Task AddGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default);

    /// <summary>Removes a user from a group; idempotent.</summary>
    Task RemoveGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default);

    /// <summary>Every group with its members, by name.</summary>
    Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>The groups a user is in.</summary>
    Task<IReadOnlyList<string>> GroupsOfAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Gives a principal a role in an environment, replacing its earlier role there.</summary>
    Task<RoleBinding> SetRoleAsync(RoleBinding binding, CancellationToken cancellationToken = default);

    /// <summary>Removes a principal's role in an environment; idempotent.</summary>
    Task RemoveRoleAsync(string principal, string environment, CancellationToken cancellationToken = default);

    /// <summary>Every role binding, by principal then environment.</summary>
    Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken = default);
}
