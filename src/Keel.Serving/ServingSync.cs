using Keel.Core.Errors;
using Keel.Core.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving;

/// <summary>
/// Keeps this replica's routing tables equal to the store: it reads the serving change feed from the
/// last sequence it applied, loads and applies each changed endpoint whose stored revision is newer
/// than the one served here (or removes a deleted one), then waits for the next notification. The
/// wait is bounded (<see cref="CatchUpInterval"/>), so a replica that missed notifications (a dropped
/// LISTEN connection) still catches up from the store's sequence. An endpoint whose models fail to
/// load here keeps its current table and is tried again at each wake-up.
/// </summary>
internal sealed class ServingSync : BackgroundService
{
    /// <summary>The longest time between two looks at the feed without a notification.</summary>
    public static readonly TimeSpan CatchUpInterval = TimeSpan.FromSeconds(2);

    private const int Page = 500;
    private readonly ServingRuntime _runtime;
    private readonly IServingStore _store;
    private readonly ILogger<ServingSync> _logger;
    private readonly HashSet<string> _retry = new(StringComparer.Ordinal);

    public ServingSync(ServingRuntime runtime, IServingStore store, ILogger<ServingSync> logger)
    {
        _runtime = runtime;
        _store = store;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await CatchUpAsync(stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                await _store.WaitForChangeAsync(_runtime.AppliedSequence, CatchUpInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (KeelException e)
            {
                // The store is unreachable for now: serve what we have and look again shortly.
                _logger.LogWarning("Serving sync could not read the change feed: {Message}", e.Message);
                await Task.Delay(CatchUpInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Applies one page of the feed (and any endpoint left to retry); true when more pages wait.</summary>
    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        var changes = await _store.ChangesSinceAsync(_runtime.AppliedSequence, Page, cancellationToken).ConfigureAwait(false);
        var names = new List<string>(_retry);
        _retry.Clear();
        names.AddRange(changes.Select(c => c.Endpoint).Where(n => !names.Contains(n, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal));
        foreach (var name in names)
        {
            await RefreshAsync(name, cancellationToken).ConfigureAwait(false);
        }

        if (changes.Count > 0)
        {
            _runtime.AppliedSequence = Math.Max(_runtime.AppliedSequence, changes[^1].Sequence);
        }

        return changes.Count == Page;
    }

    // The store, not the feed entry, says what to serve: several entries for one endpoint collapse
    // into one read of its newest state.
    private async Task RefreshAsync(string name, CancellationToken cancellationToken)
    {
        var stored = await _store.FindEndpointAsync(name, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            _runtime.Remove(name);
            return;
        }

        if (_runtime.Serves(stored))
        {
            return;
        }

        try
        {
            await _runtime.PrepareAsync(stored, cancellationToken).ConfigureAwait(false);
            _runtime.Apply(stored);
        }
        catch (KeelException e)
        {
            _logger.LogError("Endpoint {Endpoint} version {Version} could not be applied on this replica; it keeps serving version {Served}: {Message}",
                name, stored.Version, _runtime.ServedVersion(name), e.Message);
            _retry.Add(name);
        }
    }
}
