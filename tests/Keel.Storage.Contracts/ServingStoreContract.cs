using Keel.Core.Errors;
using Keel.Core.Serving;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IServingStore"/> backend signs up to: endpoints round-trip whole
/// (routes, policy, rollout and its history), names are unique, every change leaves an audit event.
/// </summary>
public abstract class ServingStoreContract : IDisposable
{
    private IServingStore? _store;

    /// <summary>Returns a fresh, empty store on every call.</summary>
    protected abstract IServingStore CreateServingStore();

    protected IServingStore Store => _store ??= CreateServingStore();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task Endpoint_round_trips_with_its_rollout_history()
    {
        var step = new RolloutStep(10, "passed", null, 1, 2, new StepComparison(90, 10, 0, 0.1, 1.5, 2.5, 0.05));
        var rollout = new Rollout("r1", "models:/m/1", "models:/m/2", [10, 100], 1, null, 500, RolloutState.Running, null, 1, 2, null, [step]);
        var endpoint = new Endpoint(
            "churn", "prod", EndpointMode.Canary,
            [new Route("models:/m/1", 0, RouteRole.Primary), new Route("models:/m/2", 100, RouteRole.Challenger)],
            new RolloutPolicy(MaxDivergence: 0.3), new EndpointLimits(MaxConcurrency: 8), "header:x-user", rollout, [], 1, 2);
        await Store.CreateEndpointAsync(endpoint, "alice");

        var read = await Store.FindEndpointAsync("churn");
        Assert.NotNull(read);
        Assert.Equal(endpoint.Routes, read.Routes);
        Assert.Equal(endpoint.Policy, read.Policy);
        Assert.Equal(endpoint.Limits, read.Limits);
        Assert.Equal(("header:x-user", EndpointMode.Canary), (read.StickyKey, read.Mode));
        Assert.Equal(rollout.Steps, read.Rollout!.Steps);
        Assert.Equal(step, Assert.Single(read.Rollout.History));
        Assert.Null(await Store.FindEndpointAsync("other"));
    }

    [ContractFact]
    public async Task Names_are_unique_and_updates_and_deletes_need_an_existing_endpoint()
    {
        var endpoint = NewEndpoint("a", "dev");
        await Store.CreateEndpointAsync(endpoint, null);
        var e = await Assert.ThrowsAsync<KeelException>(() => Store.CreateEndpointAsync(endpoint, null));
        Assert.Equal(ErrorCode.ResourceAlreadyExists, e.Code);
        e = await Assert.ThrowsAsync<KeelException>(() => Store.UpdateEndpointAsync(NewEndpoint("missing", "dev"), "x", null, null));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        e = await Assert.ThrowsAsync<KeelException>(() => Store.DeleteEndpointAsync("missing", null));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
    }

    [ContractFact]
    public async Task List_filters_by_environment_and_every_change_is_audited()
    {
        await Store.CreateEndpointAsync(NewEndpoint("b", "prod"), "alice");
        await Store.CreateEndpointAsync(NewEndpoint("a", "dev"), "alice");
        await Store.UpdateEndpointAsync(NewEndpoint("a", "dev") with { Mode = EndpointMode.Shadow }, "traffic.shadow", "mode shadow", "bob");
        await Store.DeleteEndpointAsync("b", "carol");

        Assert.Equal(["a"], (await Store.ListEndpointsAsync(null)).Select(x => x.Name));
        Assert.Empty(await Store.ListEndpointsAsync("prod"));
        Assert.Equal(EndpointMode.Shadow, (await Store.FindEndpointAsync("a"))!.Mode);
        var events = await Store.ListEventsAsync(null, 10);
        Assert.Equal(["endpoint.delete", "traffic.shadow", "endpoint.create", "endpoint.create"], events.Select(x => x.Action));
        Assert.Equal(["carol", "bob", "alice", "alice"], events.Select(x => x.Actor));
        Assert.Equal("mode shadow", events[1].Detail);
        Assert.Equal(2, (await Store.ListEventsAsync("a", 10)).Count);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            (_store as IDisposable)?.Dispose();
        }
    }

    private static Endpoint NewEndpoint(string name, string env) =>
        new(name, env, EndpointMode.Single, [new Route("models:/m/1", 100, RouteRole.Primary)], RolloutPolicy.Default, EndpointLimits.Default, null, null, [], 1, 1);
}
