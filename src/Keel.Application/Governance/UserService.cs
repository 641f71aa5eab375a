using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>A user with their MLflow permissions (MLflow's <c>users/get</c>).</summary>
/// <param name="User">The user.</param>
/// <param name="Permissions">Their experiment and registered model permissions.</param>
public sealed record UserDetails(KeelUser User, IReadOnlyList<ResourcePermission> Permissions);

/// <summary>A token just created: its record, and the token itself, shown this once.</summary>
/// <param name="Token">The record (as listed later).</param>
/// <param name="Secret">The whole token, <c>keel_&lt;id&gt;_&lt;secret&gt;</c>; never stored nor shown again.</param>
public sealed record CreatedToken(ApiToken Token, string Secret);

/// <summary>Who a user is to the server: their groups and the roles they hold, directly or through a group.</summary>
/// <param name="User">The user, or null when not a stored user (authentication off).</param>
/// <param name="Groups">Their groups.</param>
/// <param name="Roles">Role bindings of the user and of their groups.</param>
public sealed record Identity(KeelUser? User, IReadOnlyList<string> Groups, IReadOnlyList<RoleBinding> Roles);

/// <summary>
/// The governance use cases: users and their passwords, API tokens, MLflow's per-experiment and
/// per-registered-model permissions, groups and environment roles. Every value is checked here
/// (<see cref="GovernanceRules"/>); every change is recorded to the audit log after it is stored,
/// never with a password, a hash or a token secret in it. Who may call what is the server's
/// authorization middleware's business; the one rule only this class knows is that a user manages
/// only their own tokens unless an admin (callers pass <c>isAdmin</c>).
/// It also authenticates: <see cref="AuthenticatePasswordAsync"/> and <see cref="AuthenticateTokenAsync"/>.
/// </summary>
public sealed class UserService
{
    private const string Anonymous = "anonymous";

    // Verified against when a username is unknown, so a wrong username takes as long as a wrong password.
    private readonly Lazy<string> _decoy;
    private readonly IGovernanceStore _store;
    private readonly IAuditSink _audit;
    private readonly PasswordHasher _hasher;
    private readonly TimeProvider _time;

    /// <param name="store">The backend's governance store.</param>
    /// <param name="audit">Where changes are recorded.</param>
    /// <param name="hasher">How new passwords are hashed; <see cref="PasswordHasher.Default"/> when null.</param>
    /// <param name="time">The clock for token expiry; the system clock when null.</param>
    public UserService(IGovernanceStore store, IAuditSink audit, PasswordHasher? hasher = null, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _hasher = hasher ?? PasswordHasher.Default;
        _time = time ?? TimeProvider.System;
        _decoy = new Lazy<string>(() => _hasher.Hash(Guid.NewGuid().ToString("N")));
    }

    /// <summary>The store's change version, for caches of users, tokens and permissions.</summary>
    public Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default) => _store.ChangeVersionAsync(cancellationToken);

    // ---- Authentication -------------------------------------------------------------------------

    /// <summary>The user whose password this is, or null (unknown user, no password set, wrong password, malformed hash).</summary>
    public async Task<KeelUser?> AuthenticatePasswordAsync(string? username, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(username) || password is null)
        {
            return null;
        }

        var credential = await _store.FindCredentialAsync(username, cancellationToken).ConfigureAwait(false);
        if (credential?.PasswordHash is not { } hash)
        {
            _ = PasswordHasher.Verify(password, _decoy.Value);
            return null;
        }

        return PasswordHasher.Verify(password, hash) ? credential.User : null;
    }

    /// <summary>The user a token belongs to, or null (malformed, unknown, revoked or expired).</summary>
    public async Task<KeelUser?> AuthenticateTokenAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!ApiTokens.TryParse(token, out var id))
        {
            return null;
        }

        var found = await _store.FindTokenAsync(ApiTokens.HashOf(token!), cancellationToken).ConfigureAwait(false);
        return found is { } f && f.Token.Id == id && f.Token.IsActive(_time.GetUtcNow().ToUnixTimeMilliseconds()) ? f.User : null;
    }

    /// <summary>A user's groups and roles (direct and through groups).</summary>
    public async Task<Identity> IdentifyAsync(string? username, CancellationToken cancellationToken = default)
    {
        if (username is null || await _store.FindUserAsync(username, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return new Identity(null, [], []);
        }

        var groups = await _store.GroupsOfAsync(username, cancellationToken).ConfigureAwait(false);
        var principals = groups.Select(g => "group:" + g).Append("user:" + username).ToHashSet(StringComparer.Ordinal);
        var roles = (await _store.ListRolesAsync(cancellationToken).ConfigureAwait(false)).Where(r => principals.Contains(r.Principal)).ToList();
        return new Identity(user, groups, roles);
    }

    // ---- Users ----------------------------------------------------------------------------------

    /// <summary>Creates a user with a password (MLflow's <c>users/create</c>; also the first admin from the CLI).</summary>
    public async Task<KeelUser> CreateUserAsync(string? username, string? password, bool isAdmin, string? actor, CancellationToken cancellationToken = default)
    {
        var name = GovernanceRules.Username(username);
        var hash = _hasher.Hash(GovernanceRules.Password(password));
        var user = await _store.CreateUserAsync(name, hash, isAdmin, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, "user.create", "user", name, null, UserJson(user), cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>A user with their permissions.</summary>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST (404) for an unknown user.</exception>
    public async Task<UserDetails> GetUserAsync(string? username, CancellationToken cancellationToken = default)
    {
        var user = await RequireUserAsync(GovernanceRules.Username(username), cancellationToken).ConfigureAwait(false);
        return new UserDetails(user, await _store.ListPermissionsAsync(user.Username, null, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Every user, by name.</summary>
    public Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken = default) => _store.ListUsersAsync(cancellationToken);

    /// <summary>Sets a user's password.</summary>
    public async Task UpdatePasswordAsync(string? username, string? password, string? actor, CancellationToken cancellationToken = default)
    {
        var name = GovernanceRules.Username(username);
        var hash = _hasher.Hash(GovernanceRules.Password(password));
        await _store.UpdatePasswordAsync(name, hash, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, "user.password.update", "user", name, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes a user an admin or not.</summary>
    public async Task<KeelUser> UpdateAdminAsync(string? username, bool? isAdmin, string? actor, CancellationToken cancellationToken = default)
    {
        var name = GovernanceRules.Username(username);
        var admin = isAdmin ?? throw KeelException.MissingParameter("is_admin");
        var before = await RequireUserAsync(name, cancellationToken).ConfigureAwait(false);
        var after = await _store.UpdateAdminAsync(name, admin, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, "user.admin.update", "user", name, UserJson(before), UserJson(after), cancellationToken).ConfigureAwait(false);
        return after;
    }

    /// <summary>Deletes a user with their tokens, permissions, memberships and roles.</summary>
    public async Task DeleteUserAsync(string? username, string? actor, CancellationToken cancellationToken = default)
    {
        var name = GovernanceRules.Username(username);
        var before = await RequireUserAsync(name, cancellationToken).ConfigureAwait(false);
        await _store.DeleteUserAsync(name, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, "user.delete", "user", name, UserJson(before), null, cancellationToken).ConfigureAwait(false);
    }

    // ---- Tokens ---------------------------------------------------------------------------------

    /// <summary>Creates a token for the caller, or for <paramref name="username"/> (another user only as an admin); the secret is in the answer only.</summary>
    public async Task<CreatedToken> CreateTokenAsync(string? name, long? expiresInDays, string? username, string? actor, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var label = GovernanceRules.TokenName(name);
        var days = GovernanceRules.TokenDays(expiresInDays);
        var owner = GovernanceRules.Username(username ?? actor, "username");
        if (owner != actor && !isAdmin)
        {
            throw new KeelException(ErrorCode.PermissionDenied, "Permission denied: only an admin may create a token for another user.");
        }

        var (id, secret) = ApiTokens.Generate();
        long? expiresAt = days is { } d ? _time.GetUtcNow().AddDays(d).ToUnixTimeMilliseconds() : null;
        var token = await _store.CreateTokenAsync(id, owner, label, ApiTokens.HashOf(secret), expiresAt, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, "token.create", "api_token", id, null, TokenJson(token), cancellationToken).ConfigureAwait(false);
        return new CreatedToken(token, secret);
    }

    /// <summary>Tokens newest first: the caller's, or <paramref name="username"/>'s, or with <paramref name="all"/> everyone's (others' only as an admin).</summary>
    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, bool all, string? actor, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var whose = all ? null : username is null ? actor : GovernanceRules.Username(username);
        if (whose != actor && !isAdmin)
        {
            throw new KeelException(ErrorCode.PermissionDenied, "Permission denied: only an admin may list other users' tokens.");
        }

        return await _store.ListTokensAsync(whose, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes a token: one's own, or anyone's as an admin. Revoking twice keeps the first time.</summary>
    public async Task<ApiToken> RevokeTokenAsync(string? id, string? actor, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var tokenId = GovernanceRules.TokenId(id);
        var before = (await _store.ListTokensAsync(isAdmin ? null : actor, cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Id == tokenId)
            ?? throw KeelException.NotFound($"Token '{tokenId}' does not exist.");
        var after = await _store.RevokeTokenAsync(tokenId, cancellationToken).ConfigureAwait(false);
        if (before.RevokedAt is null)
        {
            await RecordAsync(actor, "token.revoke", "api_token", tokenId, TokenJson(before), TokenJson(after), cancellationToken).ConfigureAwait(false);
        }

        return after;
    }

    // ---- MLflow permissions ---------------------------------------------------------------------

    /// <summary>Gives a user a permission on an experiment (by id) or a registered model (by name).</summary>
    public async Task<ResourcePermission> CreatePermissionAsync(PermissionResource kind, string? resource, string? username, string? permission, string? actor, CancellationToken cancellationToken = default)
    {
        var (res, user, level) = (Resource(kind, resource), GovernanceRules.Username(username), GovernanceRules.Permission(permission));
        var row = await _store.CreatePermissionAsync(kind, res, user, level, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, "permission.create", PermissionType(kind), res, null, PermissionJson(row), cancellationToken).ConfigureAwait(false);
        return row;
    }

    /// <summary>A user's permission row on a resource.</summary>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST (404) when there is none.</exception>
    public async Task<ResourcePermission> GetPermissionAsync(PermissionResource kind, string? resource, string? username, CancellationToken cancellationToken = default)
    {
        var (res, user) = (Resource(kind, resource), GovernanceRules.Username(username));
        return await _store.FindPermissionAsync(kind, res, user, cancellationToken).ConfigureAwait(false) ?? throw PermissionNotFound(kind, res, user);
    }

    /// <summary>Changes a user's permission on a resource.</summary>
    public async Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string? resource, string? username, string? permission, string? actor, CancellationToken cancellationToken = default)
    {
        var (res, user, level) = (Resource(kind, resource), GovernanceRules.Username(username), GovernanceRules.Permission(permission));
        var before = await _store.FindPermissionAsync(kind, res, user, cancellationToken).ConfigureAwait(false) ?? throw PermissionNotFound(kind, res, user);
        var after = await _store.UpdatePermissionAsync(kind, res, user, level, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, "permission.update", PermissionType(kind), res, PermissionJson(before), PermissionJson(after), cancellationToken).ConfigureAwait(false);
        return after;
    }

    /// <summary>Removes a user's permission on a resource (the default applies again).</summary>
    public async Task DeletePermissionAsync(PermissionResource kind, string? resource, string? username, string? actor, CancellationToken cancellationToken = default)
    {
        var (res, user) = (Resource(kind, resource), GovernanceRules.Username(username));
        var before = await _store.FindPermissionAsync(kind, res, user, cancellationToken).ConfigureAwait(false) ?? throw PermissionNotFound(kind, res, user);
        await _store.DeletePermissionAsync(kind, res, user, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, "permission.delete", PermissionType(kind), res, PermissionJson(before), null, cancellationToken).ConfigureAwait(false);
    }

    // ---- Groups and roles -----------------------------------------------------------------------

    /// <summary>Adds a user to a group (created on first use); adding again changes nothing.</summary>
    public async Task AddGroupMemberAsync(string? group, string? username, string? actor, CancellationToken cancellationToken = default)
    {
        var (g, user) = (GovernanceRules.Group(group), GovernanceRules.Username(username));
        var already = (await _store.GroupsOfAsync(user, cancellationToken).ConfigureAwait(false)).Contains(g, StringComparer.Ordinal);
        await _store.AddGroupMemberAsync(g, user, cancellationToken).ConfigureAwait(false);
        if (!already)
        {
            await RecordAsync(actor, "group.member.add", "group", g, null, MemberJson(g, user), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a user from a group; removing a non-member changes nothing.</summary>
    public async Task RemoveGroupMemberAsync(string? group, string? username, string? actor, CancellationToken cancellationToken = default)
    {
        var (g, user) = (GovernanceRules.Group(group), GovernanceRules.Username(username));
        var member = (await _store.GroupsOfAsync(user, cancellationToken).ConfigureAwait(false)).Contains(g, StringComparer.Ordinal);
        if (member)
        {
            await _store.RemoveGroupMemberAsync(g, user, cancellationToken).ConfigureAwait(false);
            await RecordAsync(actor, "group.member.remove", "group", g, MemberJson(g, user), null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every group with its members, or only <paramref name="username"/>'s groups.</summary>
    public async Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(string? username, CancellationToken cancellationToken = default)
    {
        var groups = await _store.ListGroupsAsync(cancellationToken).ConfigureAwait(false);
        if (username is null)
        {
            return groups;
        }

        var user = GovernanceRules.Username(username);
        return groups.Where(g => g.Members.Contains(user, StringComparer.Ordinal)).ToList();
    }

    /// <summary>Gives a principal (<c>user:NAME</c> or <c>group:NAME</c>) a role in an environment, replacing its earlier one there.</summary>
    public async Task<RoleBinding> SetRoleAsync(string? principal, string? environment, string? role, string? actor, CancellationToken cancellationToken = default)
    {
        var binding = new RoleBinding(GovernanceRules.Principal(principal), GovernanceRules.Environment(environment), GovernanceRules.Role(role));
        if (binding.Principal.StartsWith("user:", StringComparison.Ordinal))
        {
            _ = await RequireUserAsync(binding.Principal[5..], cancellationToken).ConfigureAwait(false);
        }

        var before = (await _store.ListRolesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Principal == binding.Principal && r.Environment == binding.Environment);
        var stored = await _store.SetRoleAsync(binding, cancellationToken).ConfigureAwait(false);
        if (before != stored)
        {
            await RecordAsync(actor, "role.set", "role_binding", RoleKey(stored), RoleJson(before), RoleJson(stored), cancellationToken).ConfigureAwait(false);
        }

        return stored;
    }

    /// <summary>Removes a principal's role in an environment; removing none changes nothing.</summary>
    public async Task RemoveRoleAsync(string? principal, string? environment, string? actor, CancellationToken cancellationToken = default)
    {
        var (p, env) = (GovernanceRules.Principal(principal), GovernanceRules.Environment(environment));
        var before = (await _store.ListRolesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Principal == p && r.Environment == env);
        if (before is not null)
        {
            await _store.RemoveRoleAsync(p, env, cancellationToken).ConfigureAwait(false);
            await RecordAsync(actor, "role.remove", "role_binding", RoleKey(before), RoleJson(before), null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every role binding, by principal then environment.</summary>
    public Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken = default) => _store.ListRolesAsync(cancellationToken);

    private static string Resource(PermissionResource kind, string? resource) =>
        kind == PermissionResource.Experiment ? GovernanceRules.ExperimentId(resource) : GovernanceRules.ModelName(resource);

    private static string PermissionType(PermissionResource kind) => kind == PermissionResource.Experiment ? "experiment_permission" : "registered_model_permission";

    private static KeelException PermissionNotFound(PermissionResource kind, string resource, string username) =>
        KeelException.NotFound(kind == PermissionResource.Experiment
            ? $"Experiment permission with experiment_id={resource} and username={username} not found"
            : $"Registered model permission with name={resource} and username={username} not found");

    private static string RoleKey(RoleBinding binding) => binding.Principal + "@" + binding.Environment;

    private static string UserJson(KeelUser user) =>
        new JsonObject { ["id"] = user.Id, ["username"] = user.Username, ["is_admin"] = user.IsAdmin }.ToJsonString();

    private static string TokenJson(ApiToken token) =>
        new JsonObject { ["id"] = token.Id, ["username"] = token.Username, ["name"] = token.Name, ["expires_at"] = token.ExpiresAt, ["revoked_at"] = token.RevokedAt }.ToJsonString();

    private static string PermissionJson(ResourcePermission row) =>
        (row.Kind == PermissionResource.Experiment
            ? new JsonObject { ["experiment_id"] = row.Resource, ["username"] = row.Username, ["permission"] = row.Permission.Name() }
            : new JsonObject { ["name"] = row.Resource, ["username"] = row.Username, ["permission"] = row.Permission.Name() }).ToJsonString();

    private static string MemberJson(string group, string username) => new JsonObject { ["group"] = group, ["username"] = username }.ToJsonString();

    private static string? RoleJson(RoleBinding? binding) => binding is null ? null :
        new JsonObject { ["principal"] = binding.Principal, ["environment"] = binding.Environment, ["role"] = GovernanceRules.RoleName(binding.Role) }.ToJsonString();

    private async Task<KeelUser> RequireUserAsync(string username, CancellationToken cancellationToken) =>
        await _store.FindUserAsync(username, cancellationToken).ConfigureAwait(false) ?? throw KeelException.NotFound($"User with username={username} not found");

    private Task RecordAsync(string? actor, string action, string type, string resource, string? before, string? after, CancellationToken cancellationToken) =>
        _audit.RecordAsync(new AuditEntry(actor ?? Anonymous, action, type, resource, before, after), cancellationToken);
}
