using Keel.Application.Validation;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Core.Wire;

namespace Keel.Application;

/// <summary>
/// The serving store as a service over HTTP (the serving-store API): what a replica that reaches the
/// control plane only by HTTP does with the store. Records arrive whole from another process, so
/// their shape is checked here before any store sees them: names, environments, routes, revisions,
/// leases and figures.
/// </summary>
public sealed class ServingStoreService
{
    /// <summary>The most rows one publication or one feed page carries.</summary>
    public const int MaxRows = 1000;

    /// <summary>The longest a waiter for a change is held by one request.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxLease = TimeSpan.FromHours(1);
    private readonly IServingStore _store;

    /// <param name="store">The serving store; it must also keep leases and rollout figures.</param>
    public ServingStoreService(IServingStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    private ILeaseStore Leases => _store as ILeaseStore ?? throw new KeelException(ErrorCode.NotImplemented, "This serving store keeps no leases.");

    private IServingStatsStore Stats => _store as IServingStatsStore ?? throw new KeelException(ErrorCode.NotImplemented, "This serving store keeps no rollout figures.");

    public Task<IReadOnlyList<Endpoint>> ListAsync(string? environment, CancellationToken cancellationToken) =>
        _store.ListEndpointsAsync(string.IsNullOrEmpty(environment) ? null : ServingRules.Environment(environment), cancellationToken);

    public Task<Endpoint?> FindAsync(string? name, CancellationToken cancellationToken) =>
        _store.FindEndpointAsync(ServingRules.Name(name), cancellationToken);

    public Task CreateAsync(Endpoint? endpoint, string? actor, CancellationToken cancellationToken) =>
        _store.CreateEndpointAsync(Check(endpoint), actor, cancellationToken);

    public Task UpdateAsync(string name, Endpoint? endpoint, string? action, string? detail, string? actor, LeaseFence? fence, CancellationToken cancellationToken)
    {
        var checkedEndpoint = Check(endpoint);
        if (checkedEndpoint.Name != name)
        {
            throw KeelException.InvalidParameter($"The endpoint's name '{checkedEndpoint.Name}' differs from the name in the path '{name}'.");
        }

        return _store.UpdateEndpointAsync(checkedEndpoint, string.IsNullOrWhiteSpace(action) ? throw KeelException.MissingParameter("action") : action, detail, actor, Fence(fence, "fence"), cancellationToken);
    }

    public Task DeleteAsync(string? name, string? actor, CancellationToken cancellationToken) =>
        _store.DeleteEndpointAsync(ServingRules.Name(name), actor, cancellationToken);

    public async Task<(IReadOnlyList<ServingChange> Changes, long Latest)> ChangesAsync(long after, int? maxResults, CancellationToken cancellationToken)
    {
        var changes = await _store.ChangesSinceAsync(NotNegative(after, "after"), Rows(maxResults, "max_results"), cancellationToken).ConfigureAwait(false);
        return (changes, await _store.LatestChangeAsync(cancellationToken).ConfigureAwait(false));
    }

    public Task<long> LatestAsync(CancellationToken cancellationToken) => _store.LatestChangeAsync(cancellationToken);

    public Task<bool> WaitAsync(long after, double? timeoutSeconds, CancellationToken cancellationToken)
    {
        var seconds = timeoutSeconds ?? MaxWait.TotalSeconds;
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            throw KeelException.InvalidParameter($"Invalid value {seconds} for parameter 'timeout_seconds': it must be 0 or more.");
        }

        var timeout = TimeSpan.FromSeconds(Math.Min(seconds, MaxWait.TotalSeconds));
        return _store.WaitForChangeAsync(NotNegative(after, "after"), timeout, cancellationToken);
    }

    public Task<IReadOnlyList<ServingEvent>> EventsAsync(string? endpoint, int? maxResults, CancellationToken cancellationToken) =>
        _store.ListEventsAsync(string.IsNullOrEmpty(endpoint) ? null : ServingRules.Name(endpoint), Math.Clamp(maxResults ?? RequestLimits.DefaultEvents, 1, RequestLimits.MaxEvents), cancellationToken);

    public Task<LeaseFence?> AcquireAsync(string? name, string? holder, double? durationSeconds, CancellationToken cancellationToken)
    {
        var seconds = durationSeconds ?? throw KeelException.MissingParameter("duration_seconds");
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > MaxLease.TotalSeconds)
        {
            throw KeelException.InvalidParameter($"Invalid value {seconds} for parameter 'duration_seconds': a lease lasts more than 0 and at most {MaxLease.TotalSeconds:0} seconds.");
        }

        return Leases.TryAcquireAsync(Text(name, "name"), Text(holder, "holder"), TimeSpan.FromSeconds(seconds), cancellationToken);
    }

    public Task ReleaseAsync(LeaseFence? lease, CancellationToken cancellationToken) =>
        Leases.ReleaseAsync(Fence(lease, "lease") ?? throw KeelException.MissingParameter("lease"), cancellationToken);

    public Task PublishAsync(IReadOnlyList<RouteStepStats>? rows, CancellationToken cancellationToken)
    {
        if (rows is null || rows.Count == 0)
        {
            throw KeelException.MissingParameter("stats");
        }

        if (rows.Count > MaxRows)
        {
            throw KeelException.InvalidParameter($"Too many rows in 'stats': {rows.Count}, at most {MaxRows} per request.");
        }

        foreach (var row in rows)
        {
            if (row is null || string.IsNullOrEmpty(row.RolloutId) || string.IsNullOrEmpty(row.Replica) || string.IsNullOrEmpty(row.ModelUri)
                || row.LatencyBuckets is null || row.Samples is null || row.Requests < 0 || row.Errors < 0 || row.StepIndex < 0)
            {
                throw KeelException.InvalidParameter("Invalid row in 'stats': every row needs endpoint, rollout_id, model_uri, replica, latency_buckets and samples, and counts of 0 or more.");
            }

            ServingRules.Name(row.Endpoint);
        }

        return Stats.PublishStatsAsync(rows, cancellationToken);
    }

    public Task<IReadOnlyList<RouteStepStats>> ReadStatsAsync(string? endpoint, string? rolloutId, CancellationToken cancellationToken) =>
        Stats.ReadStatsAsync(ServingRules.Name(endpoint), Text(rolloutId, "rollout_id"), cancellationToken);

    private static Endpoint Check(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            throw KeelException.MissingParameter("endpoint");
        }

        ServingRules.Name(endpoint.Name);
        ServingRules.Environment(endpoint.Environment);
        if (endpoint.Routes is null || endpoint.Routes.Count == 0 || endpoint.Policy is null || endpoint.Limits is null || endpoint.PastRollouts is null)
        {
            throw KeelException.InvalidParameter("Invalid 'endpoint': it needs routes (one or more), policy, limits and past_rollouts.");
        }

        foreach (var route in endpoint.Routes)
        {
            ServingRules.ModelUri(route?.ModelUri, "endpoint.routes.model_uri");
            if (route!.Weight is < 0 or > 100)
            {
                throw KeelException.InvalidParameter($"Invalid value {route.Weight} for parameter 'endpoint.routes.weight': it must be from 0 to 100.");
            }
        }

        return endpoint.Version < 1
            ? throw KeelException.InvalidParameter($"Invalid value {endpoint.Version} for parameter 'endpoint.version': revisions start at 1.")
            : endpoint;
    }

    private static LeaseFence? Fence(LeaseFence? fence, string field) =>
        fence is null ? null
        : string.IsNullOrEmpty(fence.Name) || string.IsNullOrEmpty(fence.Holder) || fence.Epoch < 1
            ? throw KeelException.InvalidParameter($"Invalid '{field}': it needs name, holder and an epoch of 1 or more.")
            : fence;

    private static string Text(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw KeelException.MissingParameter(field)
        : value.Length > 256 ? throw KeelException.InvalidParameter($"Invalid value for parameter '{field}': at most 256 characters.")
        : value;

    private static long NotNegative(long value, string field) =>
        value < 0 ? throw KeelException.InvalidParameter($"Invalid value {value} for parameter '{field}': it must be 0 or more.") : value;

    private static int Rows(int? value, string field) =>
        value is null ? MaxRows
        : value is < 1 or > MaxRows ? throw KeelException.InvalidParameter($"Invalid value {value} for parameter '{field}': it must be from 1 to {MaxRows}.")
        : value.Value;
}
