using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>The role a user holds in an environment (directly, through a group, or everywhere), for deciding who may approve.</summary>
public interface IRoleLookup
{
    /// <summary>The user's highest role in the environment; <see cref="EnvironmentRole.None"/> when none.</summary>
    /// <param name="username">The user.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EnvironmentRole> RoleOfAsync(string username, string environment, CancellationToken cancellationToken = default);

    /// <summary>Nobody holds a role (only admins may approve): where no governance store is configured.</summary>
    static IRoleLookup Nobody { get; } = new NoRoles();

    private sealed class NoRoles : IRoleLookup
    {
        public Task<EnvironmentRole> RoleOfAsync(string username, string environment, CancellationToken cancellationToken = default) => Task.FromResult(EnvironmentRole.None);
    }
}
