namespace Keel.Core.Governance;

/// <summary>
/// MLflow's permission levels on one experiment or registered model (names and meaning as in
/// <c>mlflow/server/auth/permissions.py</c>): READ reads; EDIT also changes; MANAGE also deletes and
/// grants; NO_PERMISSIONS nothing. Ordered, so a higher level includes the lower ones.
/// </summary>
public enum PermissionLevel
{
    /// <summary>Nothing, not even read (<c>NO_PERMISSIONS</c>).</summary>
    NoPermissions = 0,

    /// <summary>Read (<c>READ</c>).</summary>
    Read = 1,

    /// <summary>Read and change: log to runs, create versions, set tags and aliases (<c>EDIT</c>).</summary>
    Edit = 2,

    /// <summary>Everything, including delete and granting permissions (<c>MANAGE</c>).</summary>
    Manage = 3,
}
