using Keel.Application.Governance;
using Keel.Core.Governance;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// MLflow's auth app API, in its wire format (users, experiment and registered model permissions,
/// under /api/2.0/mlflow as MLflow serves them), and Keel's governance API under /api/2.0/keel:
/// the user list, API tokens, groups, environment roles and whoami. Handlers are thin: every value
/// is checked by <see cref="UserService"/>, and who may call which route is the authorization
/// middleware's business. The one rule a handler passes on is whether the caller is an admin (a
/// user manages only their own tokens otherwise).
/// </summary>
internal static class GovernanceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // MLflow registers its auth routes under /api only (mlflow/server/auth/routes.py).
        var users = app.MapGroup("/api/2.0/mlflow/users");
        users.MapPost("/create", CreateUserAsync);
        users.MapGet("/get", GetUserAsync);
        users.MapPatch("/update-password", UpdatePasswordAsync);
        users.MapPatch("/update-admin", UpdateAdminAsync);
        users.MapDelete("/delete", DeleteUserAsync);

        var experiments = app.MapGroup("/api/2.0/mlflow/experiments/permissions");
        experiments.MapPost("/create", CreateExperimentPermissionAsync);
        experiments.MapGet("/get", GetExperimentPermissionAsync);
        experiments.MapPatch("/update", UpdateExperimentPermissionAsync);
        experiments.MapDelete("/delete", DeleteExperimentPermissionAsync);

        var models = app.MapGroup("/api/2.0/mlflow/registered-models/permissions");
        models.MapPost("/create", CreateModelPermissionAsync);
        models.MapGet("/get", GetModelPermissionAsync);
        models.MapPatch("/update", UpdateModelPermissionAsync);
        models.MapDelete("/delete", DeleteModelPermissionAsync);

        foreach (var prefix in new[] { "/api/2.0/keel", "/ajax-api/2.0/keel" })
        {
            var keel = app.MapGroup(prefix).WithTags("Governance")
                .PathParameter("id", "The token's id (the 12 characters after keel_).")
                .PathParameter("group", "The group's name.")
                .PathParameter("username", "The user's name.");
            keel.MapGet("/whoami", (Delegate)WhoAmIAsync)
                .Describe<WhoAmIResponse>("Who am I", "The caller: name, whether an admin, how they signed in (basic, token, oidc; none when authentication is off), their groups and the environment roles they hold directly or through a group.");
            keel.MapGet("/users", (Delegate)ListUsersAsync)
                .Describe<KeelUsersResponse>("List users", "Every user by name, with id, admin flag and creation time (never a password hash). Users are created and changed with MLflow's /api/2.0/mlflow/users routes.");
            keel.MapPost("/tokens", (Delegate)CreateTokenAsync).Body<CreateTokenRequest>()
                .Describe<CreateTokenResponse>("Create an API token", "Creates a token for the caller (an admin may name another user). The answer's secret is the token, shown this once: only its SHA-256 is stored. Send it as `Authorization: Bearer` or MLFLOW_TRACKING_TOKEN.", 400, 403, 404);
            keel.MapGet("/tokens", (Delegate)ListTokensAsync)
                .Describe<ApiTokensResponse>("List API tokens", "The caller's tokens newest first, or another user's (username) or everyone's (all=true) for an admin. Never a secret.", 400, 403)
                .Query("username", "Whose tokens (admins only for another user).")
                .Query("all", "true: every user's tokens (admins only).", JsonSchemaType.Boolean);
            keel.MapPost("/tokens/{id}/revoke", RevokeTokenAsync)
                .Describe<ApiTokenResponse>("Revoke an API token", "The token stops working at once. One's own tokens, or anyone's for an admin; revoking again keeps the first revocation time.", 400, 404);
            keel.MapGet("/groups", (Delegate)ListGroupsAsync)
                .Describe<GroupsResponse>("List groups", "Every group with its members, by name; or only the groups of one user.", 400)
                .Query("username", "Only this user's groups.");
            keel.MapPut("/groups/{group}/members/{username}", AddMemberAsync)
                .Describe<GovernanceEmptyResponse>("Add a user to a group", "Creates the group on first use; adding a member again changes nothing.", 400, 404);
            keel.MapDelete("/groups/{group}/members/{username}", RemoveMemberAsync)
                .Describe<GovernanceEmptyResponse>("Remove a user from a group", "Removing a non-member changes nothing.", 400);
            keel.MapGet("/roles", (Delegate)ListRolesAsync)
                .Describe<RoleBindingsResponse>("List environment roles", "Every role binding (principal user:NAME or group:NAME, environment or * for all, role), by principal then environment.");
            keel.MapPut("/roles", (Delegate)SetRoleAsync).Body<RoleBindingWire>()
                .Describe<RoleBindingResponse>("Set an environment role", "Gives a principal (user:NAME or group:NAME) a role (viewer, editor, deployer, admin) in an environment (lowercase letters, digits, '-'; * for every one), replacing its earlier role there.", 400, 404);
            keel.MapDelete("/roles", (Delegate)RemoveRoleAsync)
                .Describe<GovernanceEmptyResponse>("Remove an environment role", "Removes the principal's role in the environment; removing none changes nothing.", 400)
                .Query("principal", "user:NAME or group:NAME.", required: true)
                .Query("environment", "The environment, or *.", required: true);
        }
    }

    private static UserService Service(HttpContext context) => context.RequestServices.GetRequiredService<UserService>();

    // ---- MLflow: users ------------------------------------------------------------------------

    private static async Task CreateUserAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.UserPasswordRequest).ConfigureAwait(false);
        var user = await Service(context).CreateUserAsync(r.Username, r.Password, false, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new MlflowUserResponse { User = ToMlflow(new UserDetails(user, [])) }, GovernanceJson.Default.MlflowUserResponse).ConfigureAwait(false);
    }

    private static async Task GetUserAsync(HttpContext context)
    {
        var details = await Service(context).GetUserAsync(QueryArgs.String(context, "username"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new MlflowUserResponse { User = ToMlflow(details) }, GovernanceJson.Default.MlflowUserResponse).ConfigureAwait(false);
    }

    private static async Task UpdatePasswordAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.UserPasswordRequest).ConfigureAwait(false);
        await Service(context).UpdatePasswordAsync(r.Username, r.Password, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task UpdateAdminAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.UpdateUserAdminRequest).ConfigureAwait(false);
        await Service(context).UpdateAdminAsync(r.Username, r.IsAdmin, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task DeleteUserAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.DeleteUserRequest).ConfigureAwait(false);
        await Service(context).DeleteUserAsync(r.Username, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    // ---- MLflow: permissions ------------------------------------------------------------------

    private static async Task CreateExperimentPermissionAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.ExperimentPermissionRequest).ConfigureAwait(false);
        var row = await Service(context).CreatePermissionAsync(PermissionResource.Experiment, r.ExperimentId, r.Username, r.Permission, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ExperimentPermissionResponse { ExperimentPermission = ToExperiment(row) }, GovernanceJson.Default.ExperimentPermissionResponse).ConfigureAwait(false);
    }

    private static async Task GetExperimentPermissionAsync(HttpContext context)
    {
        var row = await Service(context).GetPermissionAsync(
            PermissionResource.Experiment, QueryArgs.String(context, "experiment_id"), QueryArgs.String(context, "username"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ExperimentPermissionResponse { ExperimentPermission = ToExperiment(row) }, GovernanceJson.Default.ExperimentPermissionResponse).ConfigureAwait(false);
    }

    private static async Task UpdateExperimentPermissionAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.ExperimentPermissionRequest).ConfigureAwait(false);
        await Service(context).UpdatePermissionAsync(PermissionResource.Experiment, r.ExperimentId, r.Username, r.Permission, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task DeleteExperimentPermissionAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.ExperimentPermissionRequest).ConfigureAwait(false);
        await Service(context).DeletePermissionAsync(PermissionResource.Experiment, r.ExperimentId, r.Username, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task CreateModelPermissionAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.RegisteredModelPermissionRequest).ConfigureAwait(false);
        var row = await Service(context).CreatePermissionAsync(PermissionResource.RegisteredModel, r.Name, r.Username, r.Permission, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new RegisteredModelPermissionResponse { RegisteredModelPermission = ToModel(row) }, GovernanceJson.Default.RegisteredModelPermissionResponse).ConfigureAwait(false);
    }

    private static async Task GetModelPermissionAsync(HttpContext context)
    {
        var row = await Service(context).GetPermissionAsync(
            PermissionResource.RegisteredModel, QueryArgs.String(context, "name"), QueryArgs.String(context, "username"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new RegisteredModelPermissionResponse { RegisteredModelPermission = ToModel(row) }, GovernanceJson.Default.RegisteredModelPermissionResponse).ConfigureAwait(false);
    }

    private static async Task UpdateModelPermissionAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.RegisteredModelPermissionRequest).ConfigureAwait(false);
        await Service(context).UpdatePermissionAsync(PermissionResource.RegisteredModel, r.Name, r.Username, r.Permission, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task DeleteModelPermissionAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.RegisteredModelPermissionRequest).ConfigureAwait(false);
        await Service(context).DeletePermissionAsync(PermissionResource.RegisteredModel, r.Name, r.Username, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    // ---- Keel ---------------------------------------------------------------------------------

    private static async Task WhoAmIAsync(HttpContext context)
    {
        var caller = Caller.Of(context);
        var username = Actor.From(context);
        var identity = await Service(context).IdentifyAsync(username, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context,
            new WhoAmIResponse
            {
                Username = username,
                IsAdmin = Actor.IsAdmin(context),
                Method = caller?.Method ?? "none",
                Groups = [.. identity.Groups],
                Roles = [.. identity.Roles.Select(ToWire)],
            },
            GovernanceJson.Default.WhoAmIResponse).ConfigureAwait(false);
    }

    private static async Task ListUsersAsync(HttpContext context)
    {
        var users = await Service(context).ListUsersAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context,
            new KeelUsersResponse { Users = [.. users.Select(u => new KeelUserWire { Id = u.Id, Username = u.Username, IsAdmin = u.IsAdmin, CreatedTime = u.CreatedAt })] },
            GovernanceJson.Default.KeelUsersResponse).ConfigureAwait(false);
    }

    private static async Task CreateTokenAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.CreateTokenRequest).ConfigureAwait(false);
        var created = await Service(context).CreateTokenAsync(r.Name, r.ExpiresInDays, r.Username, Actor.From(context), Actor.IsAdmin(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new CreateTokenResponse { Token = ToWire(created.Token), Secret = created.Secret }, GovernanceJson.Default.CreateTokenResponse).ConfigureAwait(false);
    }

    private static async Task ListTokensAsync(HttpContext context)
    {
        var all = QueryArgs.String(context, "all") switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw Keel.Core.Errors.KeelException.InvalidParameter($"Invalid value '{other}' for parameter 'all': true or false."),
        };
        var tokens = await Service(context).ListTokensAsync(QueryArgs.String(context, "username"), all, Actor.From(context), Actor.IsAdmin(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ApiTokensResponse { Tokens = [.. tokens.Select(ToWire)] }, GovernanceJson.Default.ApiTokensResponse).ConfigureAwait(false);
    }

    private static async Task RevokeTokenAsync(HttpContext context, string id)
    {
        var token = await Service(context).RevokeTokenAsync(id, Actor.From(context), Actor.IsAdmin(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ApiTokenResponse { Token = ToWire(token) }, GovernanceJson.Default.ApiTokenResponse).ConfigureAwait(false);
    }

    private static async Task ListGroupsAsync(HttpContext context)
    {
        var groups = await Service(context).ListGroupsAsync(QueryArgs.String(context, "username"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context, new GroupsResponse { Groups = [.. groups.Select(g => new GroupWire { Name = g.Group, Members = [.. g.Members] })] }, GovernanceJson.Default.GroupsResponse).ConfigureAwait(false);
    }

    private static async Task AddMemberAsync(HttpContext context, string group, string username)
    {
        await Service(context).AddGroupMemberAsync(group, username, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task RemoveMemberAsync(HttpContext context, string group, string username)
    {
        await Service(context).RemoveGroupMemberAsync(group, username, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task ListRolesAsync(HttpContext context)
    {
        var roles = await Service(context).ListRolesAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new RoleBindingsResponse { Roles = [.. roles.Select(ToWire)] }, GovernanceJson.Default.RoleBindingsResponse).ConfigureAwait(false);
    }

    private static async Task SetRoleAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, GovernanceJson.Default.RoleBindingWire).ConfigureAwait(false);
        var role = await Service(context).SetRoleAsync(r.Principal, r.Environment, r.Role, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new RoleBindingResponse { Role = ToWire(role) }, GovernanceJson.Default.RoleBindingResponse).ConfigureAwait(false);
    }

    private static async Task RemoveRoleAsync(HttpContext context)
    {
        await Service(context).RemoveRoleAsync(QueryArgs.String(context, "principal"), QueryArgs.String(context, "environment"), Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static MlflowUserWire ToMlflow(UserDetails details) => new()
    {
        Id = details.User.Id,
        Username = details.User.Username,
        IsAdmin = details.User.IsAdmin,
        ExperimentPermissions = [.. details.Permissions.Where(p => p.Kind == PermissionResource.Experiment).Select(ToExperiment)],
        RegisteredModelPermissions = [.. details.Permissions.Where(p => p.Kind == PermissionResource.RegisteredModel).Select(ToModel)],
    };

    private static ExperimentPermissionWire ToExperiment(ResourcePermission row) => new() { ExperimentId = row.Resource, UserId = row.UserId, Permission = row.Permission.Name() };

    private static RegisteredModelPermissionWire ToModel(ResourcePermission row) => new() { Name = row.Resource, UserId = row.UserId, Permission = row.Permission.Name() };

    private static ApiTokenWire ToWire(ApiToken token) => new()
    {
        Id = token.Id, Username = token.Username, Name = token.Name, CreatedTime = token.CreatedAt, ExpiresAt = token.ExpiresAt, RevokedAt = token.RevokedAt,
    };

    private static RoleBindingWire ToWire(RoleBinding binding) => new() { Principal = binding.Principal, Environment = binding.Environment, Role = GovernanceRules.RoleName(binding.Role) };
}
