namespace Keel.Core.Governance;

/// <summary>A role given to a user or a group in one environment.</summary>
/// <param name="Principal"><c>user:NAME</c> or <c>group:NAME</c>.</param>
/// <param name="Environment">The environment, e.g. <c>prod</c>; <c>*</c> for every environment.</param>
/// <param name="Role">The role.</param>
public sealed record RoleBinding(string Principal, string Environment, EnvironmentRole Role);
