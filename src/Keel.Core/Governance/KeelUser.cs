namespace Keel.Core.Governance;

/// <summary>A user of a Keel server with authentication on.</summary>
/// <param name="Id">Store-assigned id.</param>
/// <param name="Username">Unique name (also the actor in the audit log).</param>
/// <param name="IsAdmin">Admins pass every check, as in MLflow.</param>
/// <param name="CreatedAt">Unix milliseconds.</param>
public sealed record KeelUser(long Id, string Username, bool IsAdmin, long CreatedAt);
