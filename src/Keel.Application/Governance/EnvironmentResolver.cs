using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// Which environment a resource is in. Assignments are cached, keyed by the store's change version:
/// every lookup compares that version (one small read) and reloads when another replica or this one
/// changed a policy or an assignment, so a change is seen at once everywhere. For aliases an exact
/// <c>MODEL@ALIAS</c> assignment wins over <c>*@ALIAS</c>; an endpoint nobody assigned is in the
/// environment it was created in; anything else unassigned is in <see cref="EnvironmentDefaults.Default"/>.
/// </summary>
public sealed class EnvironmentResolver
{
    private readonly IEnvironmentStore _store;
    private volatile Snapshot? _snapshot;

    /// <param name="store">The environment store.</param>
    public EnvironmentResolver(IEnvironmentStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The environment of a resource.</summary>
    /// <param name="kind">Its kind.</param>
    /// <param name="resource">Its name (<c>MODEL@ALIAS</c> for an alias).</param>
    /// <param name="declared">The environment the resource itself names (an endpoint's), used when it is not assigned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> ResolveAsync(GovernedResource kind, string resource, string? declared = null, CancellationToken cancellationToken = default)
    {
        var assignments = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (assignments.TryGetValue((kind, resource), out var exact))
        {
            return exact;
        }

        if (kind == GovernedResource.ModelAlias && resource.LastIndexOf('@') is var at and > 0
            && assignments.TryGetValue((kind, "*" + resource[at..]), out var pattern))
        {
            return pattern;
        }

        return declared ?? EnvironmentDefaults.Default;
    }

    /// <summary>Drops the cache, so the next lookup reads the store (after a change made in this process).</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<IReadOnlyDictionary<(GovernedResource, string), string>> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = await _store.ChangeVersionAsync(cancellationToken).ConfigureAwait(false);
        if (_snapshot is { } s && s.Version == version)
        {
            return s.Assignments;
        }

        var all = await _store.ListAssignmentsAsync(cancellationToken).ConfigureAwait(false);
        var fresh = new Snapshot(version, all.ToDictionary(a => (a.Kind, a.Resource), a => a.Environment));
        _snapshot = fresh;
        return fresh.Assignments;
    }

    private sealed record Snapshot(long Version, IReadOnlyDictionary<(GovernedResource, string), string> Assignments);
}
