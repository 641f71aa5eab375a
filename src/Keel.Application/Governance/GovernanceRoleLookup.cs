using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// Roles from the governance store's role bindings: the user's own (<c>user:NAME</c>) and their
/// groups' (<c>group:NAME</c>), in the environment or in every environment (<c>*</c>); an admin
/// user is admin everywhere. The highest wins.
/// </summary>
public sealed class GovernanceRoleLookup : IRoleLookup
{
    private readonly IGovernanceStore _store;

    /// <param name="store">The governance store.</param>
    public GovernanceRoleLookup(IGovernanceStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    public async Task<EnvironmentRole> RoleOfAsync(string username, string environment, CancellationToken cancellationToken = default)
    {
        if (await _store.FindUserAsync(username, cancellationToken).ConfigureAwait(false) is { IsAdmin: true })
        {
            return EnvironmentRole.Admin;
        }

        var principals = new HashSet<string>(StringComparer.Ordinal) { "user:" + username };
        foreach (var group in await _store.GroupsOfAsync(username, cancellationToken).ConfigureAwait(false))
        {
            principals.Add("group:" + group);
        }

        var best = EnvironmentRole.None;
        foreach (var binding in await _store.ListRolesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (principals.Contains(binding.Principal) && (binding.Environment == environment || binding.Environment == "*") && binding.Role > best)
            {
                best = binding.Role;
            }
        }

        return best;
    }
}
