using System.Globalization;
using Keel.Client.Internal;
using Keel.Core.Coordination;
using Keel.Core.Serving;
using Keel.Core.Wire;

namespace Keel.Client;

/// <summary>
/// The serving store over a Keel server's serving-store API (<c>/api/2.0/keel/serving-store</c>):
/// endpoints as stored with their revisions, the change feed, leases and rollout figures, so a
/// process that reaches the control plane only by HTTP works against <see cref="IServingStore"/>
/// exactly as a replica on the database does. A refused revision comes back as
/// <see cref="EndpointConflictException"/> carrying the stored endpoint. Reads are retried on
/// transient failures; writes are not (a lost answer is seen on the next read).
/// </summary>
public sealed class RestServingStore : IServingStore, ILeaseStore, IServingStatsStore
{
    private const string Api = "/api/2.0/keel/serving-store";
    private readonly RestTransport _transport;

    internal RestServingStore(RestTransport transport) => _transport = transport;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Endpoint>> ListEndpointsAsync(string? environment, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(Api + "/endpoints", [new("environment", environment)], ServingStoreJson.Default.StoredEndpointsResponse, cancellationToken).ConfigureAwait(false)).Endpoints ?? [];

    /// <inheritdoc/>
    public async Task<Endpoint?> FindEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(EndpointPath(name), [], ServingStoreJson.Default.StoredEndpointResponse, cancellationToken).ConfigureAwait(false)).Endpoint;

    /// <inheritdoc/>
    public Task CreateEndpointAsync(Endpoint endpoint, string? actor, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/endpoints", new StoredEndpointRequest { Endpoint = endpoint, Actor = actor },
            ServingStoreJson.Default.StoredEndpointRequest, ServingStoreJson.Default.StoredEndpointResponse, retry: false, null, cancellationToken);

    /// <inheritdoc/>
    public Task UpdateEndpointAsync(Endpoint endpoint, string action, string? detail, string? actor, LeaseFence? fence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return _transport.SendJsonAsync(
            HttpMethod.Put, EndpointPath(endpoint.Name), new StoredEndpointRequest { Endpoint = endpoint, Action = action, Detail = detail, Actor = actor, Fence = fence },
            ServingStoreJson.Default.StoredEndpointRequest, ServingStoreJson.Default.StoredEndpointResponse, retry: false, null, cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteEndpointAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Delete, EndpointPath(name), new StoredEndpointDeleteRequest { Actor = actor },
            ServingStoreJson.Default.StoredEndpointDeleteRequest, ServingStoreJson.Default.StoredEndpointResponse, retry: false, null, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ServingChange>> ChangesSinceAsync(long after, int maxResults, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(
            Api + "/changes", [new("after", Number(after)), new("max_results", Number(maxResults))], ServingStoreJson.Default.ServingChangesResponse, cancellationToken).ConfigureAwait(false)).Changes ?? [];

    /// <inheritdoc/>
    public async Task<long> LatestChangeAsync(CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(Api + "/changes", [new("max_results", "1"), new("after", long.MaxValue.ToString(CultureInfo.InvariantCulture))], ServingStoreJson.Default.ServingChangesResponse, cancellationToken).ConfigureAwait(false)).Latest;

    /// <inheritdoc/>
    /// <remarks>The server holds one request at most 30 s; a longer wait is several requests.</remarks>
    public async Task<bool> WaitForChangeAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var seconds = Math.Max(0, left.TotalSeconds);
            var response = await _transport.GetJsonAsync(
                Api + "/changes/wait",
                [new("after", Number(after)), new("timeout_seconds", seconds.ToString("R", CultureInfo.InvariantCulture))],
                ServingStoreJson.Default.ServingChangesResponse,
                cancellationToken).ConfigureAwait(false);
            if (response.Changed == true || DateTime.UtcNow >= deadline)
            {
                return response.Changed == true;
            }
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ServingEvent>> ListEventsAsync(string? endpoint, int maxResults, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(
            Api + "/events", [new("endpoint", endpoint), new("max_results", Number(maxResults))], ServingStoreJson.Default.ServingEventsResponse, cancellationToken).ConfigureAwait(false)).Events ?? [];

    /// <inheritdoc/>
    /// <remarks>Not retried: a lease granted to a lost answer is renewed by the holder's next call (same holder, same epoch).</remarks>
    public async Task<LeaseFence?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        (await _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/leases/acquire", new AcquireLeaseRequest { Name = name, Holder = holder, DurationSeconds = duration.TotalSeconds },
            ServingStoreJson.Default.AcquireLeaseRequest, ServingStoreJson.Default.LeaseResponse, retry: false, null, cancellationToken).ConfigureAwait(false)).Lease;

    /// <inheritdoc/>
    public Task ReleaseAsync(LeaseFence fence, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/leases/release", new ReleaseLeaseRequest { Lease = fence },
            ServingStoreJson.Default.ReleaseLeaseRequest, ServingStoreJson.Default.LeaseResponse, retry: true, null, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Retried: a publication replaces the replica's rows, so sending it twice stores it once.</remarks>
    public Task PublishStatsAsync(IReadOnlyList<RouteStepStats> stats, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/stats", new RouteStatsMessage { Stats = [.. stats] },
            ServingStoreJson.Default.RouteStatsMessage, ServingStoreJson.Default.RouteStatsMessage, retry: true, null, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RouteStepStats>> ReadStatsAsync(string endpoint, string rolloutId, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(
            Api + "/stats", [new("endpoint", endpoint), new("rollout_id", rolloutId)], ServingStoreJson.Default.RouteStatsMessage, cancellationToken).ConfigureAwait(false)).Stats ?? [];

    private static string EndpointPath(string name) => $"{Api}/endpoints/{Uri.EscapeDataString(name)}";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
