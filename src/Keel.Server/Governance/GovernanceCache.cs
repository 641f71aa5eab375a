using System.Collections.Concurrent;
using Keel.Core.Governance;

namespace Keel.Server.Governance;

/// <summary>
/// This server's memory of who is who and who may do what: verified credentials, permission rows,
/// role sets, resource environments and the run → experiment map. A cache of the governance store, never the truth: it is
/// dropped when the store's change version moves (checked at most every
/// <see cref="AuthOptions.ChangeCheckInterval"/>, so another replica's change is seen within that)
/// and at once after a change made through this server.
/// </summary>
internal sealed class GovernanceCache(IGovernanceStore store, IEnvironmentStore environments, AuthOptions options, TimeProvider time)
{
    // Bounded so a flood of distinct keys (e.g. wrong passwords are never cached, but many runs are)
    // cannot grow memory without limit: past it, a dictionary starts over.
    private const int MaxEntries = 100_000;

    private long _version = -1;
    private long _environmentVersion = -1;
    private long _nextCheck;

    public ConcurrentDictionary<string, CachedIdentity> Credentials { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<(string User, PermissionResource Kind, string Resource), PermissionLevel?> Permissions { get; } = new();

    public ConcurrentDictionary<string, IReadOnlyDictionary<string, EnvironmentRole>> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>Which environment each governed resource is in, as of the environment store's last change seen.</summary>
    public ConcurrentDictionary<(GovernedResource Kind, string Name), string> Environments { get; } = new();

    /// <summary>Runs never move between experiments, so this map is kept across changes.</summary>
    public ConcurrentDictionary<string, string> RunExperiments { get; } = new(StringComparer.Ordinal);

    /// <summary>Drops what may be stale when the store changed since the last look.</summary>
    public async ValueTask RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (now < Interlocked.Read(ref _nextCheck))
        {
            return;
        }

        Interlocked.Exchange(ref _nextCheck, now + (long)(options.ChangeCheckInterval.TotalSeconds * time.TimestampFrequency));
        var version = await store.ChangeVersionAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _version, version) != version)
        {
            Clear();
        }

        var environmentVersion = await environments.ChangeVersionAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _environmentVersion, environmentVersion) != environmentVersion)
        {
            Environments.Clear();
        }
    }

    /// <summary>Forgets everything that a change to users, tokens, permissions or roles can make stale, and checks the store on the next request.</summary>
    public void Invalidate()
    {
        Clear();
        Environments.Clear();
        Interlocked.Exchange(ref _nextCheck, 0);
    }

    public void Trim<TKey, TValue>(ConcurrentDictionary<TKey, TValue> map)
        where TKey : notnull
    {
        if (map.Count > MaxEntries)
        {
            map.Clear();
        }
    }

    private void Clear()
    {
        Credentials.Clear();
        Permissions.Clear();
        Roles.Clear();
    }
}

/// <summary>A verified sign-in, trusted until <paramref name="ExpiresAt"/> (a <see cref="TimeProvider"/> timestamp).</summary>
internal sealed record CachedIdentity(Keel.Server.Http.Caller Caller, long ExpiresAt);
