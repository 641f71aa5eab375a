using Keel.Core.Serving;
using Keel.Core.Wire;

namespace Keel.Client;

// Keel's serving API: endpoints, traffic splits and progressive rollouts.
public sealed partial class KeelClient
{
    private const string EndpointsApi = "/api/2.0/keel/endpoints";

    /// <summary>Creates an endpoint serving <paramref name="modelUri"/> in <paramref name="environment"/> (dev, staging or prod).</summary>
    public Task<EndpointResponse> CreateEndpointAsync(string name, string modelUri, string? environment = null, RolloutPolicy? policy = null, EndpointLimits? limits = null, string? stickyKey = null, CancellationToken cancellationToken = default) =>
        ServingSendAsync(HttpMethod.Post, EndpointsApi, new CreateEndpointRequest { Name = name, ModelUri = modelUri, Environment = environment, Policy = policy, Limits = limits, StickyKey = stickyKey }, ServingJson.Default.CreateEndpointRequest, cancellationToken);

    /// <summary>Every endpoint (optionally of one environment) with its live figures per route.</summary>
    public async Task<IReadOnlyList<EndpointResponse>> ListEndpointsAsync(string? environment = null, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(EndpointsApi, [new("environment", environment)], ServingJson.Default.ListEndpointsResponse, cancellationToken).ConfigureAwait(false);
        return response.Endpoints ?? [];
    }

    /// <summary>One endpoint: routes and weights, live figures per version, the rollout and its history.</summary>
    public Task<EndpointResponse> GetEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.GetJsonAsync($"{EndpointsApi}/{Uri.EscapeDataString(name)}", [], ServingJson.Default.EndpointResponse, cancellationToken);

    /// <summary>Sets a static split: single, canary or ab_test (challenger at <paramref name="weight"/>%), shadow, or blue_green.</summary>
    public Task<EndpointResponse> SetTrafficAsync(string name, EndpointMode mode, string? modelUri = null, int? weight = null, string? stickyKey = null, CancellationToken cancellationToken = default) =>
        ServingSendAsync(HttpMethod.Put, $"{EndpointsApi}/{Uri.EscapeDataString(name)}/traffic", new SetTrafficRequest { Mode = mode, ModelUri = modelUri, Weight = weight, StickyKey = stickyKey }, ServingJson.Default.SetTrafficRequest, cancellationToken);

    /// <summary>Starts a progressive (canary) rollout and returns at once; see <see cref="WaitForRolloutAsync"/>.</summary>
    public Task<EndpointResponse> StartRolloutAsync(string name, string modelUri, IReadOnlyList<int>? steps = null, TimeSpan? hold = null, long? holdRequests = null, RolloutPolicy? policy = null, CancellationToken cancellationToken = default) =>
        ServingSendAsync(HttpMethod.Post, $"{EndpointsApi}/{Uri.EscapeDataString(name)}/rollout", new StartRolloutRequest { ModelUri = modelUri, Steps = steps?.ToList(), HoldSeconds = hold?.TotalSeconds, HoldRequests = holdRequests, Policy = policy }, ServingJson.Default.StartRolloutRequest, cancellationToken);

    /// <summary>Promotes the running rollout's challenger at once.</summary>
    public Task<EndpointResponse> PromoteEndpointAsync(string name, string? reason = null, CancellationToken cancellationToken = default) => ActionAsync(name, "promote", reason, cancellationToken);

    /// <summary>Aborts the running rollout; the champion takes all traffic.</summary>
    public Task<EndpointResponse> AbortRolloutAsync(string name, string? reason = null, CancellationToken cancellationToken = default) => ActionAsync(name, "abort", reason, cancellationToken);

    /// <summary>Rolls back the running rollout, or switches back to the standby version after a promotion or blue-green switch.</summary>
    public Task<EndpointResponse> RollbackEndpointAsync(string name, string? reason = null, CancellationToken cancellationToken = default) => ActionAsync(name, "rollback", reason, cancellationToken);

    /// <summary>Deletes an endpoint.</summary>
    public Task DeleteEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(HttpMethod.Delete, $"{EndpointsApi}/{Uri.EscapeDataString(name)}", new EndpointActionRequest(), ServingJson.Default.EndpointActionRequest, ServingJson.Default.EndpointActionRequest, retry: false, null, cancellationToken);

    /// <summary>The endpoint's audit events, newest first.</summary>
    public async Task<IReadOnlyList<ServingEvent>> ListEndpointEventsAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync($"{EndpointsApi}/{Uri.EscapeDataString(name)}/events", [], ServingJson.Default.ServingEventsResponse, cancellationToken).ConfigureAwait(false);
        return response.Events ?? [];
    }

    /// <summary>Polls until the endpoint's rollout is no longer running; returns the endpoint as it ended.</summary>
    public async Task<EndpointResponse> WaitForRolloutAsync(string name, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var shown = await GetEndpointAsync(name, cancellationToken).ConfigureAwait(false);
            if (shown.Endpoint?.Rollout is not { State: RolloutState.Running })
            {
                return shown;
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<EndpointResponse> ActionAsync(string name, string action, string? reason, CancellationToken cancellationToken) =>
        ServingSendAsync(HttpMethod.Post, $"{EndpointsApi}/{Uri.EscapeDataString(name)}/{action}", new EndpointActionRequest { Reason = reason }, ServingJson.Default.EndpointActionRequest, cancellationToken);

    // Never retried: a rollout action repeated after a lost answer would meet a changed state.
    private Task<EndpointResponse> ServingSendAsync<TRequest>(HttpMethod method, string path, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> type, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(method, path, body, type, ServingJson.Default.EndpointResponse, retry: false, null, cancellationToken);
}
