namespace Keel.Core.Governance;

/// <summary>One user's permission on one experiment or registered model (MLflow's <c>ExperimentPermission</c> and <c>RegisteredModelPermission</c>).</summary>
/// <param name="Kind">Experiment or registered model.</param>
/// <param name="Resource">The experiment id or the registered model's name.</param>
/// <param name="Username">Whose permission.</param>
/// <param name="UserId">The user's id (MLflow's wire field <c>user_id</c>).</param>
/// <param name="Permission">The level.</param>
public sealed record ResourcePermission(PermissionResource Kind, string Resource, string Username, long UserId, PermissionLevel Permission);
