using Keel.Core.Governance;

namespace Keel.Server.Governance;

/// <summary>Every resource in the default environment, <c>dev</c>: used until environments are assigned by the environment store.</summary>
internal sealed class DefaultEnvironmentDirectory : IEnvironmentDirectory
{
    public const string DefaultEnvironment = "dev";

    public ValueTask<string> EnvironmentOfAsync(GovernedResource kind, string name, CancellationToken cancellationToken = default) => ValueTask.FromResult(DefaultEnvironment);
}
