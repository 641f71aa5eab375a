using Keel.Core.Coordination;
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
    public async Task Sensitive_columns_round_trip_and_survive_an_update()
    {
        var sensitive = new Dictionary<string, SensitiveColumnMode> { ["email"] = SensitiveColumnMode.Hash, ["name"] = SensitiveColumnMode.Mask, ["ssn"] = SensitiveColumnMode.Drop };
        await Store.CreateEndpointAsync(NewEndpoint("pii", "dev") with { SensitiveColumns = sensitive }, "alice");
        Assert.Equal(sensitive.OrderBy(c => c.Key), (await Store.FindEndpointAsync("pii"))!.SensitiveColumns!.OrderBy(c => c.Key));

        await Store.UpdateEndpointAsync((await Store.FindEndpointAsync("pii"))! with { Mode = EndpointMode.Shadow, Version = 2 }, "traffic.shadow", null, "bob");
        await Store.CreateEndpointAsync(NewEndpoint("plain", "dev"), "alice");
        Assert.Null((await Store.FindEndpointAsync("plain"))!.SensitiveColumns);
        Assert.Equal(sensitive.OrderBy(c => c.Key), (await Store.FindEndpointAsync("pii"))!.SensitiveColumns!.OrderBy(c => c.Key));
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
        await Store.UpdateEndpointAsync(NewEndpoint("a", "dev") with { Mode = EndpointMode.Shadow, Version = 2 }, "traffic.shadow", "mode shadow", "bob");
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

    [ContractFact]
    public async Task Updates_name_the_revision_they_were_made_from_and_a_stale_one_is_refused_with_the_current_state()
    {
        await Store.CreateEndpointAsync(NewEndpoint("rev", "dev"), null);
        Assert.Equal(1, (await Store.FindEndpointAsync("rev"))!.Version);

        await Store.UpdateEndpointAsync(NewEndpoint("rev", "dev") with { Mode = EndpointMode.Shadow, Version = 2 }, "traffic.shadow", null, "a");
        // A second writer that also read revision 1 loses: nothing of its change is stored.
        var conflict = await Assert.ThrowsAsync<EndpointConflictException>(
            () => Store.UpdateEndpointAsync(NewEndpoint("rev", "dev") with { Mode = EndpointMode.Canary, Version = 2 }, "traffic.canary", null, "b"));
        Assert.Equal(ErrorCode.ResourceConflict, conflict.Code);
        Assert.Equal((2L, EndpointMode.Shadow), (conflict.Current.Version, conflict.Current.Mode));
        Assert.Equal(1, conflict.ExpectedVersion);
        // Skipping a revision is refused too.
        await Assert.ThrowsAsync<EndpointConflictException>(() => Store.UpdateEndpointAsync(NewEndpoint("rev", "dev") with { Version = 4 }, "x", null, null));

        var stored = (await Store.FindEndpointAsync("rev"))!;
        Assert.Equal((2L, EndpointMode.Shadow), (stored.Version, stored.Mode));
        Assert.Equal(["traffic.shadow", "endpoint.create"], (await Store.ListEventsAsync("rev", 10)).Select(e => e.Action));
        Assert.Equal(2, (await Store.ListEndpointsAsync(null)).Single().Version);
    }

    [ContractFact]
    public async Task Concurrent_updates_from_one_revision_store_exactly_one()
    {
        await Store.CreateEndpointAsync(NewEndpoint("race", "dev"), null);
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.UpdateEndpointAsync(NewEndpoint("race", "dev") with { StickyKey = $"header:w{i}", Version = 2 }, "x", null, null);
                return true;
            }
            catch (EndpointConflictException)
            {
                return false;
            }
        }));
        Assert.Equal(1, (await Task.WhenAll(attempts)).Count(won => won));
        Assert.Equal(2, (await Store.FindEndpointAsync("race"))!.Version);
    }

    [ContractFact]
    public async Task The_change_feed_lists_every_change_in_order_and_a_waiter_wakes_on_a_change()
    {
        Assert.Equal(0, await Store.LatestChangeAsync());
        // With nothing to wait for, the wait ends by its timeout (or a spurious wake: callers always re-read the feed).
        await Store.WaitForChangeAsync(0, TimeSpan.FromMilliseconds(50)).WaitAsync(TimeSpan.FromSeconds(30));

        await Store.CreateEndpointAsync(NewEndpoint("f1", "dev"), null);
        await Store.UpdateEndpointAsync(NewEndpoint("f1", "dev") with { Version = 2 }, "x", null, null);
        await Store.CreateEndpointAsync(NewEndpoint("f2", "dev"), null);
        await Store.DeleteEndpointAsync("f1", null);

        var all = await Store.ChangesSinceAsync(0, 100);
        Assert.Equal([("f1", 1L), ("f1", 2L), ("f2", 1L), ("f1", 0L)], all.Select(c => (c.Endpoint, c.Version)));
        Assert.Equal(all.Select(c => c.Sequence).Order(), all.Select(c => c.Sequence));
        Assert.Equal(all[^1].Sequence, await Store.LatestChangeAsync());
        Assert.Equal(all.Skip(2), await Store.ChangesSinceAsync(all[1].Sequence, 100));
        Assert.Equal(all.Take(1), await Store.ChangesSinceAsync(0, 1));
        // A change already in the feed answers at once.
        Assert.True(await Store.WaitForChangeAsync(all[1].Sequence, TimeSpan.FromSeconds(30)));

        var latest = all[^1].Sequence;
        var waiting = Store.WaitForChangeAsync(latest, TimeSpan.FromSeconds(30));
        await Store.CreateEndpointAsync(NewEndpoint("f3", "dev"), null);
        Assert.True(await waiting);
        Assert.Equal("f3", Assert.Single(await Store.ChangesSinceAsync(latest, 100)).Endpoint);
    }

    [ContractFact]
    public async Task A_lease_has_one_holder_until_it_expires_and_a_new_holder_gets_a_new_epoch()
    {
        var leases = (ILeaseStore)Store;
        var a = await leases.TryAcquireAsync("job", "replica-a", TimeSpan.FromSeconds(30));
        Assert.NotNull(a);
        Assert.Null(await leases.TryAcquireAsync("job", "replica-b", TimeSpan.FromSeconds(30)));
        // Renewal keeps the epoch.
        Assert.Equal(a, await leases.TryAcquireAsync("job", "replica-a", TimeSpan.FromSeconds(30)));
        // Another job's lease is independent.
        Assert.NotNull(await leases.TryAcquireAsync("other-job", "replica-b", TimeSpan.FromSeconds(30)));

        // Released (or expired): another replica takes it in a later epoch.
        await leases.ReleaseAsync(a!);
        var b = await leases.TryAcquireAsync("job", "replica-b", TimeSpan.FromMilliseconds(300));
        Assert.NotNull(b);
        Assert.True(b!.Epoch > a!.Epoch);
        // Expiry: b does not renew and a takes it back after the duration.
        LeaseFence? again = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (again is null && DateTime.UtcNow < deadline)
        {
            again = await leases.TryAcquireAsync("job", "replica-a", TimeSpan.FromSeconds(30));
            if (again is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(again);
        Assert.True(again!.Epoch > b.Epoch);
    }

    [ContractFact]
    public async Task A_write_fenced_by_a_stale_epoch_is_refused_and_changes_nothing()
    {
        var leases = (ILeaseStore)Store;
        await Store.CreateEndpointAsync(NewEndpoint("fenced", "dev"), null);
        // Not "rollout-controller": behind the HTTP client a live server's own controller holds that one.
        var old = await leases.TryAcquireAsync("contract-singleton", "replica-a", TimeSpan.FromSeconds(30));
        Assert.NotNull(old);
        await Store.UpdateEndpointAsync(NewEndpoint("fenced", "dev") with { Version = 2 }, "rollout.step", null, null, old);

        await leases.ReleaseAsync(old!);
        var current = await leases.TryAcquireAsync("contract-singleton", "replica-b", TimeSpan.FromSeconds(30));
        Assert.NotNull(current);
        var e = await Assert.ThrowsAsync<KeelException>(
            () => Store.UpdateEndpointAsync(NewEndpoint("fenced", "dev") with { Version = 3, Mode = EndpointMode.Shadow }, "rollout.step", null, null, old));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        Assert.Equal((2L, EndpointMode.Single), ((await Store.FindEndpointAsync("fenced"))!.Version, (await Store.FindEndpointAsync("fenced"))!.Mode));
        Assert.Single(await Store.ChangesSinceAsync(1, 100));

        await Store.UpdateEndpointAsync(NewEndpoint("fenced", "dev") with { Version = 3 }, "rollout.step", null, null, current);
        Assert.Equal(3, (await Store.FindEndpointAsync("fenced"))!.Version);
    }

    [ContractFact]
    public async Task Rollout_figures_are_kept_per_replica_and_republishing_replaces_a_replicas_row()
    {
        var stats = (IServingStatsStore)Store;
        RouteStepStats Row(string replica, RouteRole role, long requests, int step = 0) =>
            new("ep", "r1", step, role == RouteRole.Primary ? "models:/m/1" : "models:/m/2", role, replica, requests, requests / 10, [0, requests, 0], [0.25, double.NaN, 1e300], 1000 + requests);

        await stats.PublishStatsAsync([Row("a", RouteRole.Primary, 90), Row("a", RouteRole.Challenger, 10)]);
        await stats.PublishStatsAsync([Row("b", RouteRole.Challenger, 20), Row("a", RouteRole.Challenger, 15), Row("a", RouteRole.Challenger, 5, step: 1)]);
        await stats.PublishStatsAsync([new RouteStepStats("ep", "r2", 0, "models:/m/2", RouteRole.Challenger, "a", 7, 0, [], [], 1)]);

        var rows = await stats.ReadStatsAsync("ep", "r1");
        Assert.Equal(4, rows.Count);
        Assert.Equal(35, rows.Where(r => r.StepIndex == 0 && r.Role == RouteRole.Challenger).Sum(r => r.Requests));
        var a = rows.Single(r => r is { Replica: "a", Role: RouteRole.Challenger, StepIndex: 0 });
        Assert.Equal((15L, 1L, 1015L), (a.Requests, a.Errors, a.UpdatedAt));
        Assert.Equal([0L, 15L, 0L], a.LatencyBuckets);
        Assert.Equal(3, a.Samples.Count);
        Assert.True(double.IsNaN(a.Samples[1]));
        Assert.Empty(await stats.ReadStatsAsync("ep", "missing"));
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
