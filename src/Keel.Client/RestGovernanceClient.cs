using Keel.Client.Internal;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Wire;

namespace Keel.Client;

/// <summary>
/// Users, API tokens, MLflow permissions, groups and environment roles over a Keel server's API:
/// MLflow's auth routes (<c>/api/2.0/mlflow/users/...</c>, <c>.../experiments/permissions/...</c>,
/// <c>.../registered-models/permissions/...</c>) and Keel's (<c>/api/2.0/keel/users|tokens|groups|roles|whoami</c>).
/// Passwords go to the server, which keeps only their hash; a token's secret comes back once, from
/// <see cref="CreateTokenAsync"/>. Reads are retried on transient failures; changes are not.
/// </summary>
public sealed class RestGovernanceClient
{
    private const string Users = "/api/2.0/mlflow/users";
    private const string ExperimentPermissions = "/api/2.0/mlflow/experiments/permissions";
    private const string ModelPermissions = "/api/2.0/mlflow/registered-models/permissions";
    private const string Keel = "/api/2.0/keel";
    private readonly RestTransport _transport;

    internal RestGovernanceClient(RestTransport transport) => _transport = transport;

    /// <summary>Creates a user with a password (MLflow's users/create; not an admin: see <see cref="UpdateAdminAsync"/>).</summary>
    public async Task<KeelUser> CreateUserAsync(string username, string password, CancellationToken cancellationToken = default) =>
        ToUser((await SendAsync(HttpMethod.Post, Users + "/create", new UserPasswordRequest { Username = username, Password = password }, GovernanceJson.Default.UserPasswordRequest, GovernanceJson.Default.MlflowUserResponse, cancellationToken).ConfigureAwait(false)).User);

    /// <summary>A user with their permissions (MLflow's users/get), or null.</summary>
    public Task<MlflowUserWire?> GetUserAsync(string username, CancellationToken cancellationToken = default) =>
        OrNullAsync(async () => (await _transport.GetJsonAsync(Users + "/get", [new("username", username)], GovernanceJson.Default.MlflowUserResponse, cancellationToken).ConfigureAwait(false)).User);

    /// <summary>A user, or null.</summary>
    public async Task<KeelUser?> FindUserAsync(string username, CancellationToken cancellationToken = default) =>
        await GetUserAsync(username, cancellationToken).ConfigureAwait(false) is { } user ? ToUser(user) : null;

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        [.. (await _transport.GetJsonAsync(Keel + "/users", [], GovernanceJson.Default.KeelUsersResponse, cancellationToken).ConfigureAwait(false)).Users
            .Select(u => new KeelUser(u.Id, u.Username ?? string.Empty, u.IsAdmin, u.CreatedTime))];

    /// <summary>Sets a user's password.</summary>
    public Task UpdatePasswordAsync(string username, string password, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Users + "/update-password", new UserPasswordRequest { Username = username, Password = password }, GovernanceJson.Default.UserPasswordRequest, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken);

    /// <summary>Makes a user an admin or not.</summary>
    public Task UpdateAdminAsync(string username, bool isAdmin, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Users + "/update-admin", new UpdateUserAdminRequest { Username = username, IsAdmin = isAdmin }, GovernanceJson.Default.UpdateUserAdminRequest, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken);

    /// <summary>Deletes a user with their tokens, permissions, memberships and roles.</summary>
    public Task DeleteUserAsync(string username, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Users + "/delete", new DeleteUserRequest { Username = username }, GovernanceJson.Default.DeleteUserRequest, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken);

    /// <summary>Creates a token for the caller, or for <paramref name="username"/> (admins); the secret is returned this once.</summary>
    public async Task<(ApiToken Token, string Secret)> CreateTokenAsync(string name, long? expiresInDays = null, string? username = null, CancellationToken cancellationToken = default)
    {
        var created = await SendAsync(
            HttpMethod.Post, Keel + "/tokens", new CreateTokenRequest { Name = name, ExpiresInDays = expiresInDays, Username = username },
            GovernanceJson.Default.CreateTokenRequest, GovernanceJson.Default.CreateTokenResponse, cancellationToken).ConfigureAwait(false);
        return (ToToken(created.Token), created.Secret ?? throw Malformed("secret"));
    }

    /// <summary>Tokens newest first: the caller's, <paramref name="username"/>'s, or with <paramref name="all"/> everyone's.</summary>
    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username = null, bool all = false, CancellationToken cancellationToken = default) =>
        [.. (await _transport.GetJsonAsync(Keel + "/tokens", [new("username", username), new("all", all ? "true" : null)], GovernanceJson.Default.ApiTokensResponse, cancellationToken).ConfigureAwait(false)).Tokens
            .Select(ToToken)];

    /// <summary>Revokes a token.</summary>
    public async Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken = default) =>
        ToToken((await SendAsync(HttpMethod.Post, Keel + "/tokens/" + Uri.EscapeDataString(id) + "/revoke", new GovernanceEmptyResponse(), GovernanceJson.Default.GovernanceEmptyResponse, GovernanceJson.Default.ApiTokenResponse, cancellationToken).ConfigureAwait(false)).Token);

    /// <summary>Gives a user a permission on an experiment (by id) or a registered model (by name).</summary>
    public async Task<ResourcePermission> CreatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default) =>
        kind == PermissionResource.Experiment
            ? FromExperiment((await SendAsync(
                HttpMethod.Post, ExperimentPermissions + "/create", new ExperimentPermissionRequest { ExperimentId = resource, Username = username, Permission = level.Name() },
                GovernanceJson.Default.ExperimentPermissionRequest, GovernanceJson.Default.ExperimentPermissionResponse, cancellationToken).ConfigureAwait(false)).ExperimentPermission, username)
            : FromModel((await SendAsync(
                HttpMethod.Post, ModelPermissions + "/create", new RegisteredModelPermissionRequest { Name = resource, Username = username, Permission = level.Name() },
                GovernanceJson.Default.RegisteredModelPermissionRequest, GovernanceJson.Default.RegisteredModelPermissionResponse, cancellationToken).ConfigureAwait(false)).RegisteredModelPermission, username);

    /// <summary>A user's permission row on a resource, or null (then the server's default applies).</summary>
    public Task<ResourcePermission?> FindPermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default) =>
        kind == PermissionResource.Experiment
            ? OrNullAsync(async () => (ResourcePermission?)FromExperiment((await _transport.GetJsonAsync(
                ExperimentPermissions + "/get", [new("experiment_id", resource), new("username", username)], GovernanceJson.Default.ExperimentPermissionResponse, cancellationToken).ConfigureAwait(false)).ExperimentPermission, username))
            : OrNullAsync(async () => (ResourcePermission?)FromModel((await _transport.GetJsonAsync(
                ModelPermissions + "/get", [new("name", resource), new("username", username)], GovernanceJson.Default.RegisteredModelPermissionResponse, cancellationToken).ConfigureAwait(false)).RegisteredModelPermission, username));

    /// <summary>Every permission row of a user (from MLflow's users/get), experiments first.</summary>
    public async Task<IReadOnlyList<ResourcePermission>> ListPermissionsAsync(string username, CancellationToken cancellationToken = default) =>
        await GetUserAsync(username, cancellationToken).ConfigureAwait(false) is { } user
            ? [.. user.ExperimentPermissions.Select(p => FromExperiment(p, username)).OrderBy(p => p.Resource, StringComparer.Ordinal),
               .. user.RegisteredModelPermissions.Select(p => FromModel(p, username)).OrderBy(p => p.Resource, StringComparer.Ordinal)]
            : [];

    /// <summary>Changes a user's permission on a resource.</summary>
    public async Task<ResourcePermission> UpdatePermissionAsync(PermissionResource kind, string resource, string username, PermissionLevel level, CancellationToken cancellationToken = default)
    {
        await (kind == PermissionResource.Experiment
            ? SendAsync(HttpMethod.Patch, ExperimentPermissions + "/update", new ExperimentPermissionRequest { ExperimentId = resource, Username = username, Permission = level.Name() }, GovernanceJson.Default.ExperimentPermissionRequest, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken)
            : SendAsync(HttpMethod.Patch, ModelPermissions + "/update", new RegisteredModelPermissionRequest { Name = resource, Username = username, Permission = level.Name() }, GovernanceJson.Default.RegisteredModelPermissionRequest, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken)).ConfigureAwait(false);
        return await FindPermissionAsync(kind, resource, username, cancellationToken).ConfigureAwait(false) ?? throw Malformed("permission");
    }

    /// <summary>Removes a user's permission on a resource.</summary>
    public Task DeletePermissionAsync(PermissionResource kind, string resource, string username, CancellationToken cancellationToken = default) =>
        kind == PermissionResource.Experiment
            ? SendAsync(HttpMethod.Delete, ExperimentPermissions + "/delete", new ExperimentPermissionRequest { ExperimentId = resource, Username = username }, GovernanceJson.Default.ExperimentPermissionRequest, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken)
            : SendAsync(HttpMethod.Delete, ModelPermissions + "/delete", new RegisteredModelPermissionRequest { Name = resource, Username = username }, GovernanceJson.Default.RegisteredModelPermissionRequest, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken);

    /// <summary>Adds a user to a group (created on first use).</summary>
    public Task AddGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, MemberPath(group, username), new GovernanceEmptyResponse(), GovernanceJson.Default.GovernanceEmptyResponse, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken);

    /// <summary>Removes a user from a group.</summary>
    public Task RemoveGroupMemberAsync(string group, string username, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, MemberPath(group, username), new GovernanceEmptyResponse(), GovernanceJson.Default.GovernanceEmptyResponse, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken);

    /// <summary>Every group with its members, or only <paramref name="username"/>'s groups.</summary>
    public async Task<IReadOnlyList<(string Group, IReadOnlyList<string> Members)>> ListGroupsAsync(string? username = null, CancellationToken cancellationToken = default) =>
        [.. (await _transport.GetJsonAsync(Keel + "/groups", [new("username", username)], GovernanceJson.Default.GroupsResponse, cancellationToken).ConfigureAwait(false)).Groups
            .Select(g => (g.Name ?? string.Empty, (IReadOnlyList<string>)g.Members))];

    /// <summary>Gives a principal (<c>user:NAME</c> or <c>group:NAME</c>) a role (viewer, editor, deployer, admin) in an environment.</summary>
    public async Task<RoleBinding> SetRoleAsync(string principal, string environment, string role, CancellationToken cancellationToken = default) =>
        ToRole((await SendAsync(
            HttpMethod.Put, Keel + "/roles", new RoleBindingWire { Principal = principal, Environment = environment, Role = role },
            GovernanceJson.Default.RoleBindingWire, GovernanceJson.Default.RoleBindingResponse, cancellationToken).ConfigureAwait(false)).Role);

    /// <summary>Removes a principal's role in an environment.</summary>
    public Task RemoveRoleAsync(string principal, string environment, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Delete, Keel + "/roles?principal=" + Uri.EscapeDataString(principal) + "&environment=" + Uri.EscapeDataString(environment),
            new GovernanceEmptyResponse(), GovernanceJson.Default.GovernanceEmptyResponse, GovernanceJson.Default.GovernanceEmptyResponse, cancellationToken);

    /// <summary>Every role binding, by principal then environment.</summary>
    public async Task<IReadOnlyList<RoleBinding>> ListRolesAsync(CancellationToken cancellationToken = default) =>
        [.. (await _transport.GetJsonAsync(Keel + "/roles", [], GovernanceJson.Default.RoleBindingsResponse, cancellationToken).ConfigureAwait(false)).Roles.Select(ToRole)];

    /// <summary>Who the server takes the caller to be: name, admin, sign-in method, groups and roles.</summary>
    public Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        _transport.GetJsonAsync(Keel + "/whoami", [], GovernanceJson.Default.WhoAmIResponse, cancellationToken);

    private static string MemberPath(string group, string username) => Keel + "/groups/" + Uri.EscapeDataString(group) + "/members/" + Uri.EscapeDataString(username);

    private static KeelUser ToUser(MlflowUserWire? user) =>
        user is null ? throw Malformed("user") : new KeelUser(user.Id, user.Username ?? string.Empty, user.IsAdmin, 0);

    private static ApiToken ToToken(ApiTokenWire? token) =>
        token is null ? throw Malformed("token") : new ApiToken(token.Id ?? string.Empty, token.Username ?? string.Empty, token.Name ?? string.Empty, token.CreatedTime, token.ExpiresAt, token.RevokedAt);

    private static ResourcePermission FromExperiment(ExperimentPermissionWire? p, string username) =>
        p is null ? throw Malformed("experiment_permission") : new ResourcePermission(PermissionResource.Experiment, p.ExperimentId ?? string.Empty, username, p.UserId, Level(p.Permission));

    private static ResourcePermission FromModel(RegisteredModelPermissionWire? p, string username) =>
        p is null ? throw Malformed("registered_model_permission") : new ResourcePermission(PermissionResource.RegisteredModel, p.Name ?? string.Empty, username, p.UserId, Level(p.Permission));

    private static PermissionLevel Level(string? name) => PermissionLevels.TryParse(name, out var level) ? level.Value : throw Malformed("permission");

    private static RoleBinding ToRole(RoleBindingWire? r) =>
        r is null ? throw Malformed("role")
        : new RoleBinding(r.Principal ?? string.Empty, r.Environment ?? string.Empty, Enum.TryParse<EnvironmentRole>(r.Role, ignoreCase: true, out var role) ? role : EnvironmentRole.None);

    private static KeelException Malformed(string field) => new(ErrorCode.InternalError, $"The server's governance answer has no valid '{field}'.");

    private static async Task<T?> OrNullAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }

    private Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : new() =>
        _transport.SendJsonAsync(method, path, body, requestType, responseType, retry: false, null, cancellationToken);
}
