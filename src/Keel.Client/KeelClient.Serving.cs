using Keel.Core.Serving;
using Keel.Core.Wire;

namespace Keel.Client;

// Keel's serving API: endpoints, traffic splits and progressive rollouts.
public sealed partial class KeelClient
{
    private const string EndpointsApi = "/api/2.0/keel/endpoints";

    /// <summary>Creates an endpoint serving <paramref name="modelUri"/> in <paramref name="environment"/> (dev, staging or prod); returns once the model is loaded.</summary>
    /// <param name="name">Unique endpoint name: letters, digits, <c>-</c> and <c>_</c>.</param>
    /// <param name="modelUri">The model URI to serve, e.g. <c>models:/churn@champion</c>; resolved once and stored as a version.</param>
    /// <param name="environment">dev (default), staging or prod.</param>
    /// <param name="policy">Rollout limits; the defaults when null.</param>
    /// <param name="limits">Guard rails; the defaults when null.</param>
    /// <param name="stickyKey">For A/B: <c>header:NAME</c> or <c>field:NAME</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_ALREADY_EXISTS when the name is taken; INVALID_PARAMETER_VALUE naming a bad field; the loader's error when the model cannot be loaded (nothing is created).</exception>
    public Task<EndpointResponse> CreateEndpointAsync(string name, string modelUri, string? environment = null, RolloutPolicy? policy = null, EndpointLimits? limits = null, string? stickyKey = null, CancellationToken cancellationToken = default) =>
        ServingSendAsync(HttpMethod.Post, EndpointsApi, new CreateEndpointRequest { Name = name, ModelUri = modelUri, Environment = environment, Policy = policy, Limits = limits, StickyKey = stickyKey }, ServingJson.Default.CreateEndpointRequest, cancellationToken);

    /// <summary>Creates an endpoint from a full request (e.g. with <see cref="CreateEndpointRequest.SensitiveColumns"/>).</summary>
    /// <param name="request">The endpoint to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">As <see cref="CreateEndpointAsync(string, string, string?, RolloutPolicy?, EndpointLimits?, string?, CancellationToken)"/>.</exception>
    public Task<EndpointResponse> CreateEndpointAsync(CreateEndpointRequest request, CancellationToken cancellationToken = default) =>
        ServingSendAsync(HttpMethod.Post, EndpointsApi, request, ServingJson.Default.CreateEndpointRequest, cancellationToken);

    /// <summary>Every endpoint (optionally of one environment) with its live figures per route.</summary>
    /// <param name="environment">dev, staging or prod; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<EndpointResponse>> ListEndpointsAsync(string? environment = null, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(EndpointsApi, [new("environment", environment)], ServingJson.Default.ListEndpointsResponse, cancellationToken).ConfigureAwait(false);
        return response.Endpoints ?? [];
    }

    /// <summary>One endpoint: routes and weights, live figures per version, the rollout and its history.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint.</exception>
    public Task<EndpointResponse> GetEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.GetJsonAsync($"{EndpointsApi}/{Uri.EscapeDataString(name)}", [], ServingJson.Default.EndpointResponse, cancellationToken);

    /// <summary>Sets a static split: single, canary or ab_test (challenger at <paramref name="weight"/>%), shadow, or blue_green.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="mode">The traffic mode.</param>
    /// <param name="modelUri">The second version (challenger, variant, shadow or new colour).</param>
    /// <param name="weight">Its share of live traffic, percent (canary and A/B).</param>
    /// <param name="stickyKey">For A/B: <c>header:NAME</c> or <c>field:NAME</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="expectedVersion">Apply only if the endpoint is still at this version; null to apply to whatever is current.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint; RESOURCE_CONFLICT while a rollout runs or when the endpoint is no longer at <paramref name="expectedVersion"/>; INVALID_PARAMETER_VALUE naming a bad field.</exception>
    public Task<EndpointResponse> SetTrafficAsync(string name, EndpointMode mode, string? modelUri = null, int? weight = null, string? stickyKey = null, CancellationToken cancellationToken = default, long? expectedVersion = null) =>
        ServingSendAsync(HttpMethod.Put, $"{EndpointsApi}/{Uri.EscapeDataString(name)}/traffic", new SetTrafficRequest { Mode = mode, ModelUri = modelUri, Weight = weight, StickyKey = stickyKey, ExpectedVersion = expectedVersion }, ServingJson.Default.SetTrafficRequest, cancellationToken);

    /// <summary>Starts a progressive (canary) rollout and returns at once; see <see cref="WaitForRolloutAsync"/>.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="modelUri">The challenger's model URI.</param>
    /// <param name="steps">Challenger shares in percent, increasing, ending at 100 (default 10, 50, 100).</param>
    /// <param name="hold">Minimum time per step (default 5 minutes when no request hold is given).</param>
    /// <param name="holdRequests">Challenger requests per step, instead of a time.</param>
    /// <param name="policy">Limits for this rollout; the endpoint's when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint; RESOURCE_CONFLICT when a rollout is already running; INVALID_PARAMETER_VALUE naming a bad field.</exception>
    public Task<EndpointResponse> StartRolloutAsync(string name, string modelUri, IReadOnlyList<int>? steps = null, TimeSpan? hold = null, long? holdRequests = null, RolloutPolicy? policy = null, CancellationToken cancellationToken = default) =>
        ServingSendAsync(HttpMethod.Post, $"{EndpointsApi}/{Uri.EscapeDataString(name)}/rollout", new StartRolloutRequest { ModelUri = modelUri, Steps = steps?.ToList(), HoldSeconds = hold?.TotalSeconds, HoldRequests = holdRequests, Policy = policy }, ServingJson.Default.StartRolloutRequest, cancellationToken);

    /// <summary>Promotes the running rollout's challenger at once.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="reason">Why, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint; RESOURCE_CONFLICT when no rollout is running.</exception>
    public Task<EndpointResponse> PromoteEndpointAsync(string name, string? reason = null, CancellationToken cancellationToken = default) => ActionAsync(name, "promote", reason, cancellationToken);

    /// <summary>Aborts the running rollout; the champion takes all traffic.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="reason">Why, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint; RESOURCE_CONFLICT when no rollout is running.</exception>
    public Task<EndpointResponse> AbortRolloutAsync(string name, string? reason = null, CancellationToken cancellationToken = default) => ActionAsync(name, "abort", reason, cancellationToken);

    /// <summary>Rolls back the running rollout, or switches back to the standby version after a promotion or blue-green switch.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="reason">Why, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint; RESOURCE_CONFLICT when there is nothing to roll back to.</exception>
    public Task<EndpointResponse> RollbackEndpointAsync(string name, string? reason = null, CancellationToken cancellationToken = default) => ActionAsync(name, "rollback", reason, cancellationToken);

    /// <summary>Deletes an endpoint; it stops serving at once. Its audit events are kept.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint.</exception>
    public Task DeleteEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(HttpMethod.Delete, $"{EndpointsApi}/{Uri.EscapeDataString(name)}", new EndpointActionRequest(), ServingJson.Default.EndpointActionRequest, ServingJson.Default.EndpointActionRequest, retry: false, null, cancellationToken);

    /// <summary>The endpoint's audit events, newest first (at most 1000).</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<ServingEvent>> ListEndpointEventsAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync($"{EndpointsApi}/{Uri.EscapeDataString(name)}/events", [], ServingJson.Default.ServingEventsResponse, cancellationToken).ConfigureAwait(false);
        return response.Events ?? [];
    }

    /// <summary>Polls until the endpoint's rollout is no longer running; returns the endpoint as it ended. It waits as long as the rollout runs: pass a token to bound it.</summary>
    /// <param name="name">The endpoint name.</param>
    /// <param name="pollInterval">Time between polls (default 500 ms).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown endpoint.</exception>
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
