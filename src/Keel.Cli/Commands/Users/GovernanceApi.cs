using Keel.Application.Governance;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Governance;

namespace Keel.Cli.Commands.Users;

/// <summary>
/// What the users, tokens, permissions, groups and roles commands do, the same over a server (the
/// SDK, as the signed-in user) or on a data dir (the use cases over the backend's store, as an
/// admin: whoever can write the files owns them; this is how the first admin is made).
/// </summary>
internal abstract class GovernanceApi
{
    /// <summary>True on a data dir, where there is no signed-in user.</summary>
    public abstract bool Local { get; }

    public static GovernanceApi Over(RestGovernanceClient client) => new Remote(client);

    public static GovernanceApi Over(IGovernanceStore store) => new Embedded(new UserService(store, NullAuditSink.Instance));

    public abstract Task<KeelUser> CreateUserAsync(string username, string password, bool admin, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken);

    public abstract Task DeleteUserAsync(string username, CancellationToken cancellationToken);

    public abstract Task SetAdminAsync(string username, bool admin, CancellationToken cancellationToken);

    public abstract Task SetPasswordAsync(string username, string password, CancellationToken cancellationToken);

    public abstract Task<(ApiToken Token, string Secret)> CreateTokenAsync(string name, long? days, string? username, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, bool all, CancellationToken cancellationToken);

    public abstract Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken);

    public abstract Task<ResourcePermission> GrantAsync(PermissionResource kind, string resource, string username, string permission, CancellationToken cancellationToken);

    public abstract Task<ResourcePermission> GetPermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken);

    public abstract Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string resource, string username, string permission, CancellationToken cancellationToken);

    public abstract Task RevokePermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken);

    public abstract Task AddMemberAsync(string group, string username, CancellationToken cancellationToken);

    public abstract Task RemoveMemberAsync(string group, string username, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(string? username, CancellationToken cancellationToken);

    public abstract Task<RoleBinding> SetRoleAsync(string principal, string environment, string role, CancellationToken cancellationToken);

    public abstract Task RemoveRoleAsync(string principal, string environment, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken);

    private sealed class Embedded(UserService users) : GovernanceApi
    {
        // The audit log's actor for changes made on the data dir.
        private static readonly string Actor = "keel:cli:" + Environment.UserName;

        public override bool Local => true;

        public override Task<KeelUser> CreateUserAsync(string username, string password, bool admin, CancellationToken cancellationToken) =>
            users.CreateUserAsync(username, password, admin, Actor, cancellationToken);

        public override Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken) => users.ListUsersAsync(cancellationToken);

        public override Task DeleteUserAsync(string username, CancellationToken cancellationToken) => users.DeleteUserAsync(username, Actor, cancellationToken);

        public override Task SetAdminAsync(string username, bool admin, CancellationToken cancellationToken) => users.UpdateAdminAsync(username, admin, Actor, cancellationToken);

        public override Task SetPasswordAsync(string username, string password, CancellationToken cancellationToken) => users.UpdatePasswordAsync(username, password, Actor, cancellationToken);

        public override async Task<(ApiToken Token, string Secret)> CreateTokenAsync(string name, long? days, string? username, CancellationToken cancellationToken)
        {
            var created = await users.CreateTokenAsync(
                name, days, username ?? throw KeelException.InvalidParameter("Give --user: on a data dir there is no signed-in user to own the token."), Actor, isAdmin: true, cancellationToken).ConfigureAwait(false);
            return (created.Token, created.Secret);
        }

        public override Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, bool all, CancellationToken cancellationToken) =>
            users.ListTokensAsync(username, all || username is null, Actor, isAdmin: true, cancellationToken);

        public override Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken) => users.RevokeTokenAsync(id, Actor, isAdmin: true, cancellationToken);

        public override Task<ResourcePermission> GrantAsync(PermissionResource kind, string resource, string username, string permission, CancellationToken cancellationToken) =>
            users.CreatePermissionAsync(kind, resource, username, permission, Actor, cancellationToken);

        public override Task<ResourcePermission> GetPermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken) =>
            users.GetPermissionAsync(kind, resource, username, cancellationToken);

        public override Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string resource, string username, string permission, CancellationToken cancellationToken) =>
            users.UpdatePermissionAsync(kind, resource, username, permission, Actor, cancellationToken);

        public override Task RevokePermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken) =>
            users.DeletePermissionAsync(kind, resource, username, Actor, cancellationToken);

        public override Task AddMemberAsync(string group, string username, CancellationToken cancellationToken) => users.AddGroupMemberAsync(group, username, Actor, cancellationToken);

        public override Task RemoveMemberAsync(string group, string username, CancellationToken cancellationToken) => users.RemoveGroupMemberAsync(group, username, Actor, cancellationToken);

        public override Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(string? username, CancellationToken cancellationToken) =>
            users.ListGroupsAsync(username, cancellationToken);

        public override Task<RoleBinding> SetRoleAsync(string principal, string environment, string role, CancellationToken cancellationToken) =>
            users.SetRoleAsync(principal, environment, role, Actor, cancellationToken);

        public override Task RemoveRoleAsync(string principal, string environment, CancellationToken cancellationToken) => users.RemoveRoleAsync(principal, environment, Actor, cancellationToken);

        public override Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken) => users.ListRolesAsync(cancellationToken);
    }

    private sealed class Remote(RestGovernanceClient http) : GovernanceApi
    {
        public override bool Local => false;

        public override async Task<KeelUser> CreateUserAsync(string username, string password, bool admin, CancellationToken cancellationToken)
        {
            var user = await http.CreateUserAsync(username, password, cancellationToken).ConfigureAwait(false);
            if (admin)
            {
                await http.UpdateAdminAsync(username, true, cancellationToken).ConfigureAwait(false);
                user = user with { IsAdmin = true };
            }

            return user;
        }

        public override Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken) => http.ListUsersAsync(cancellationToken);

        public override Task DeleteUserAsync(string username, CancellationToken cancellationToken) => http.DeleteUserAsync(username, cancellationToken);

        public override Task SetAdminAsync(string username, bool admin, CancellationToken cancellationToken) => http.UpdateAdminAsync(username, admin, cancellationToken);

        public override Task SetPasswordAsync(string username, string password, CancellationToken cancellationToken) => http.UpdatePasswordAsync(username, password, cancellationToken);

        public override Task<(ApiToken Token, string Secret)> CreateTokenAsync(string name, long? days, string? username, CancellationToken cancellationToken) =>
            http.CreateTokenAsync(name, days, username, cancellationToken);

        public override Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, bool all, CancellationToken cancellationToken) => http.ListTokensAsync(username, all, cancellationToken);

        public override Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken) => http.RevokeTokenAsync(id, cancellationToken);

        public override Task<ResourcePermission> GrantAsync(PermissionResource kind, string resource, string username, string permission, CancellationToken cancellationToken) =>
            http.CreatePermissionAsync(kind, resource, username, GovernanceRules.Permission(permission), cancellationToken);

        public override async Task<ResourcePermission> GetPermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken) =>
            await http.FindPermissionAsync(kind, resource, username, cancellationToken).ConfigureAwait(false)
            ?? throw KeelException.NotFound($"{(kind == PermissionResource.Experiment ? "Experiment" : "Registered model")} permission of {username} on {resource} not found");

        public override Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string resource, string username, string permission, CancellationToken cancellationToken) =>
            http.UpdatePermissionAsync(kind, resource, username, GovernanceRules.Permission(permission), cancellationToken);

        public override Task RevokePermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken) =>
            http.DeletePermissionAsync(kind, resource, username, cancellationToken);

        public override Task AddMemberAsync(string group, string username, CancellationToken cancellationToken) => http.AddGroupMemberAsync(group, username, cancellationToken);

        public override Task RemoveMemberAsync(string group, string username, CancellationToken cancellationToken) => http.RemoveGroupMemberAsync(group, username, cancellationToken);

        public override Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(string? username, CancellationToken cancellationToken) =>
            http.ListGroupsAsync(username, cancellationToken);

        public override Task<RoleBinding> SetRoleAsync(string principal, string environment, string role, CancellationToken cancellationToken) =>
            http.SetRoleAsync(principal, environment, role, cancellationToken);

        public override Task RemoveRoleAsync(string principal, string environment, CancellationToken cancellationToken) => http.RemoveRoleAsync(principal, environment, cancellationToken);

        public override Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken) => http.ListRolesAsync(cancellationToken);
    }
}
