namespace Keel.Core.Governance;

/// <summary>Puts one resource (or, for aliases, a pattern) in an environment. Unassigned resources are in the default environment.</summary>
/// <param name="Kind">What kind of resource.</param>
/// <param name="Resource">Its name (<c>MODEL@ALIAS</c> or <c>*@ALIAS</c> for aliases).</param>
/// <param name="Environment">The environment.</param>
public sealed record EnvironmentAssignment(GovernedResource Kind, string Resource, string Environment);
