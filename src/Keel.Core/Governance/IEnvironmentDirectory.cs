namespace Keel.Core.Governance;

/// <summary>Which environment a governed resource belongs to (unassigned resources are in the default environment, <c>dev</c>).</summary>
public interface IEnvironmentDirectory
{
    /// <summary>The environment of a resource.</summary>
    /// <param name="kind">The kind of resource.</param>
    /// <param name="name">Its name (<c>MODEL@ALIAS</c> for an alias).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<string> EnvironmentOfAsync(GovernedResource kind, string name, CancellationToken cancellationToken = default);
}
