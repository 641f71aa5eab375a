using System.Collections.Concurrent;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Microsoft.Extensions.Logging;

namespace Keel.Serving;

/// <summary>
/// The live endpoints: routing tables by name, rebuilt and swapped atomically on each change.
/// Counters since start live per (endpoint, model URI) and carry across swaps; step counters are
/// fresh in each table, so a rollout step measures only its own traffic.
/// </summary>
internal sealed class ServingRuntime : IServingRuntime
{
    private readonly ConcurrentDictionary<string, RoutingTable> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Endpoint, string Uri), RouteStats> _live = new();
    private readonly ModelHost _host;
    private readonly ServingMetrics _metrics;
    private readonly ServingOptions _options;
    private readonly ILogger _logger;

    public ServingRuntime(ModelHost host, ServingMetrics metrics, ServingOptions options, ILogger logger)
    {
        _host = host;
        _metrics = metrics;
        _options = options;
        _logger = logger;
    }

    public IEnumerable<RoutingTable> Tables => _tables.Values;

    public RoutingTable? Find(string name) => _tables.GetValueOrDefault(name);

    public async Task PrepareAsync(Endpoint endpoint, CancellationToken cancellationToken)
    {
        foreach (var route in endpoint.Routes)
        {
            try
            {
                await _host.LoadAsync(route.ModelUri, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Model {Uri} for endpoint {Endpoint} failed to load", route.ModelUri, endpoint.Name);
                var code = e is KeelException { Code: ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound } ? ErrorCode.ResourceDoesNotExist : ErrorCode.InvalidParameterValue;
                throw new KeelException(code, $"Model '{route.ModelUri}' failed to load, so endpoint '{endpoint.Name}' keeps its current routes: {e.Message}", e);
            }
        }
    }

    /// <summary>The last change-feed sequence this replica has applied (see <see cref="ServingSync"/>).</summary>
    public long AppliedSequence { get; set; }

    public void Apply(Endpoint endpoint)
    {
        var old = _tables.GetValueOrDefault(endpoint.Name);
        if (old is not null && IsNewer(old.Endpoint, endpoint))
        {
            // A newer revision is already live (this replica's own change overtook the feed).
            return;
        }

        var gate = old?.Gate ?? new ConcurrencyGate();
        gate.Limit = endpoint.Limits.MaxConcurrency;
        var variants = new List<Variant>(endpoint.Routes.Count);
        foreach (var route in endpoint.Routes)
        {
            var model = _host.Find(route.ModelUri)
                ?? throw new KeelException(ErrorCode.InternalError, $"Model '{route.ModelUri}' was not prepared before it was applied.");
            var live = _live.GetOrAdd((endpoint.Name, route.ModelUri), _ => new RouteStats(_options.PredictionSampleSize));
            var role = route.Role.ToString().ToLowerInvariant();
            variants.Add(new Variant(route, model, live, new RouteStats(_options.PredictionSampleSize), _metrics.For(endpoint.Name, model.Version, role)));
        }

        _tables[endpoint.Name] = new RoutingTable(endpoint, variants, gate);
    }

    public void Remove(string name) => _tables.TryRemove(name, out _);

    /// <summary>The revision this replica serves of <paramref name="name"/>, or 0 when it serves none.</summary>
    public long ServedVersion(string name) => _tables.TryGetValue(name, out var table) ? table.Endpoint.Version : 0;

    /// <summary>True when this replica already serves <paramref name="stored"/>'s revision or a newer one of the same endpoint.</summary>
    public bool Serves(Endpoint stored) =>
        _tables.TryGetValue(stored.Name, out var table) && table.Endpoint.CreatedAt == stored.CreatedAt && table.Endpoint.Version >= stored.Version;

    // Newer: a later revision of the same endpoint. An endpoint deleted and created again is another
    // endpoint (another creation time), whatever its revision number.
    private static bool IsNewer(Endpoint a, Endpoint b) => a.CreatedAt == b.CreatedAt && a.Name == b.Name && a.Version > b.Version;

    /// <summary>Brings back every stored endpoint at start-up; one that cannot load is logged and left out.</summary>
    public async Task RestoreAsync(IServingStore store, CancellationToken cancellationToken)
    {
        // Taken first: a change stored while restoring is applied again by the sync, never missed.
        AppliedSequence = await store.LatestChangeAsync(cancellationToken).ConfigureAwait(false);
        foreach (var endpoint in await store.ListEndpointsAsync(null, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await PrepareAsync(endpoint, cancellationToken).ConfigureAwait(false);
                Apply(endpoint);
            }
            catch (KeelException e)
            {
                _logger.LogError(e, "Endpoint {Endpoint} could not be restored", endpoint.Name);
            }
        }
    }
}
