namespace Keel.Core.Wire;

// MLflow's auth app (mlflow/server/auth): users and per-experiment / per-registered-model
// permissions, in its wire shapes; and Keel's governance API (/api/2.0/keel): the user list,
// API tokens, groups, environment roles and whoami.

/// <summary>MLflow's <c>User.to_json()</c>: the user with their permissions (never the password hash).</summary>
public sealed class MlflowUserWire
{
    /// <summary>The user's id.</summary>
    public long Id { get; set; }

    /// <summary>The user's name.</summary>
    public string? Username { get; set; }

    /// <summary>Whether the user is an admin.</summary>
    public bool IsAdmin { get; set; }

    /// <summary>The user's experiment permissions.</summary>
    public List<ExperimentPermissionWire> ExperimentPermissions { get; set; } = [];

    /// <summary>The user's registered model permissions.</summary>
    public List<RegisteredModelPermissionWire> RegisteredModelPermissions { get; set; } = [];
}

/// <summary>MLflow's <c>ExperimentPermission.to_json()</c>.</summary>
public sealed class ExperimentPermissionWire
{
    /// <summary>The experiment's id.</summary>
    public string? ExperimentId { get; set; }

    /// <summary>The user's id.</summary>
    public long UserId { get; set; }

    /// <summary>READ, EDIT, MANAGE or NO_PERMISSIONS.</summary>
    public string? Permission { get; set; }
}

/// <summary>MLflow's <c>RegisteredModelPermission.to_json()</c>.</summary>
public sealed class RegisteredModelPermissionWire
{
    /// <summary>The registered model's name.</summary>
    public string? Name { get; set; }

    /// <summary>The user's id.</summary>
    public long UserId { get; set; }

    /// <summary>READ, EDIT, MANAGE or NO_PERMISSIONS.</summary>
    public string? Permission { get; set; }
}

/// <summary>Body of users/create and users/update-password.</summary>
public sealed class UserPasswordRequest
{
    /// <summary>The user's name.</summary>
    public string? Username { get; set; }

    /// <summary>The password (at least 8 characters); never stored or shown, only its Argon2id hash is kept.</summary>
    public string? Password { get; set; }
}

/// <summary>Body of users/update-admin.</summary>
public sealed class UpdateUserAdminRequest
{
    /// <summary>The user's name.</summary>
    public string? Username { get; set; }

    /// <summary>Whether the user is an admin.</summary>
    public bool? IsAdmin { get; set; }
}

/// <summary>Body of users/delete.</summary>
public sealed class DeleteUserRequest
{
    /// <summary>The user's name.</summary>
    public string? Username { get; set; }
}

/// <summary>Answer of users/create and users/get.</summary>
public sealed class MlflowUserResponse
{
    /// <summary>The user.</summary>
    public MlflowUserWire? User { get; set; }
}

/// <summary>Body of experiments/permissions/create, update and delete.</summary>
public sealed class ExperimentPermissionRequest
{
    /// <summary>The experiment's id.</summary>
    public string? ExperimentId { get; set; }

    /// <summary>The user's name.</summary>
    public string? Username { get; set; }

    /// <summary>READ, EDIT, MANAGE or NO_PERMISSIONS (not for delete).</summary>
    public string? Permission { get; set; }
}

/// <summary>Answer of experiments/permissions/create and get.</summary>
public sealed class ExperimentPermissionResponse
{
    /// <summary>The permission.</summary>
    public ExperimentPermissionWire? ExperimentPermission { get; set; }
}

/// <summary>Body of registered-models/permissions/create, update and delete.</summary>
public sealed class RegisteredModelPermissionRequest
{
    /// <summary>The registered model's name.</summary>
    public string? Name { get; set; }

    /// <summary>The user's name.</summary>
    public string? Username { get; set; }

    /// <summary>READ, EDIT, MANAGE or NO_PERMISSIONS (not for delete).</summary>
    public string? Permission { get; set; }
}

/// <summary>Answer of registered-models/permissions/create and get.</summary>
public sealed class RegisteredModelPermissionResponse
{
    /// <summary>The permission.</summary>
    public RegisteredModelPermissionWire? RegisteredModelPermission { get; set; }
}

/// <summary>A user in Keel's user list.</summary>
public sealed class KeelUserWire
{
    /// <summary>The user's id.</summary>
    public long Id { get; set; }

    /// <summary>The user's name.</summary>
    public string? Username { get; set; }

    /// <summary>Whether the user is an admin.</summary>
    public bool IsAdmin { get; set; }

    /// <summary>When the user was created, Unix milliseconds.</summary>
    public long CreatedTime { get; set; }
}

/// <summary>Answer of GET /api/2.0/keel/users.</summary>
public sealed class KeelUsersResponse
{
    /// <summary>Every user, by name.</summary>
    public List<KeelUserWire> Users { get; set; } = [];
}

/// <summary>An API token's record (never its secret).</summary>
public sealed class ApiTokenWire
{
    /// <summary>The token's public id (the 12 characters after <c>keel_</c>).</summary>
    public string? Id { get; set; }

    /// <summary>Whose token.</summary>
    public string? Username { get; set; }

    /// <summary>The owner's label.</summary>
    public string? Name { get; set; }

    /// <summary>When created, Unix milliseconds.</summary>
    public long CreatedTime { get; set; }

    /// <summary>When it stops working, Unix milliseconds; absent for never.</summary>
    public long? ExpiresAt { get; set; }

    /// <summary>When revoked, Unix milliseconds; absent while not revoked.</summary>
    public long? RevokedAt { get; set; }
}

/// <summary>Body of POST /api/2.0/keel/tokens.</summary>
public sealed class CreateTokenRequest
{
    /// <summary>A label for the token, e.g. <c>ci</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Days until it expires (1-3650); absent for no expiry.</summary>
    public long? ExpiresInDays { get; set; }

    /// <summary>Whose token (an admin may create one for another user); absent for the caller's.</summary>
    public string? Username { get; set; }
}

/// <summary>Answer of creating a token: the only time its secret is shown.</summary>
public sealed class CreateTokenResponse
{
    /// <summary>The token's record.</summary>
    public ApiTokenWire? Token { get; set; }

    /// <summary>The token to send as <c>Authorization: Bearer</c> (or MLFLOW_TRACKING_TOKEN); shown once, never stored.</summary>
    public string? Secret { get; set; }
}

/// <summary>Answer of revoking a token.</summary>
public sealed class ApiTokenResponse
{
    /// <summary>The token's record.</summary>
    public ApiTokenWire? Token { get; set; }
}

/// <summary>Answer of listing tokens.</summary>
public sealed class ApiTokensResponse
{
    /// <summary>Tokens, newest first.</summary>
    public List<ApiTokenWire> Tokens { get; set; } = [];
}

/// <summary>A group and its members.</summary>
public sealed class GroupWire
{
    /// <summary>The group's name.</summary>
    public string? Name { get; set; }

    /// <summary>Its members, by name.</summary>
    public List<string> Members { get; set; } = [];
}

/// <summary>Answer of listing groups.</summary>
public sealed class GroupsResponse
{
    /// <summary>Groups, by name.</summary>
    public List<GroupWire> Groups { get; set; } = [];
}

/// <summary>A role held by a user or a group in an environment.</summary>
public sealed class RoleBindingWire
{
    /// <summary><c>user:NAME</c> or <c>group:NAME</c>.</summary>
    public string? Principal { get; set; }

    /// <summary>The environment, or <c>*</c> for every one.</summary>
    public string? Environment { get; set; }

    /// <summary>viewer, editor, deployer or admin.</summary>
    public string? Role { get; set; }
}

/// <summary>Answer of setting a role.</summary>
public sealed class RoleBindingResponse
{
    /// <summary>The binding as stored.</summary>
    public RoleBindingWire? Role { get; set; }
}

/// <summary>Answer of listing roles.</summary>
public sealed class RoleBindingsResponse
{
    /// <summary>Bindings, by principal then environment.</summary>
    public List<RoleBindingWire> Roles { get; set; } = [];
}

/// <summary>Answer of GET /api/2.0/keel/whoami.</summary>
public sealed class WhoAmIResponse
{
    /// <summary>The caller's name, or absent when unknown (authentication off and no X-Keel-User).</summary>
    public string? Username { get; set; }

    /// <summary>Whether the caller is an admin (everyone is when authentication is off).</summary>
    public bool IsAdmin { get; set; }

    /// <summary>How the caller signed in: basic, token, oidc, or none (authentication off).</summary>
    public string? Method { get; set; }

    /// <summary>The caller's groups.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>The roles the caller holds, directly or through a group.</summary>
    public List<RoleBindingWire> Roles { get; set; } = [];
}

/// <summary>An empty answer (<c>{}</c>), as MLflow's auth app gives for updates and deletes.</summary>
public sealed class GovernanceEmptyResponse
{
}
