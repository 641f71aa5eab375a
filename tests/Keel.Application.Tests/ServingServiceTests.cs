using Keel.Application;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Keel.Application.Tests;

/// <summary>Serving use cases over the SQLite store and a recording runtime.</summary>
public sealed class ServingServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-serving-tests").FullName;
    private readonly SqliteServingStore _store;
    private readonly RecordingRuntime _runtime = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly ServingService _service;

    public ServingServiceTests()
    {
        _store = new SqliteServingStore(Path.Combine(_dir, "keel.db"), _clock);
        _service = new ServingService(_store, _runtime, _clock);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Create_validates_arguments_and_names_the_field()
    {
        var e = await Assert.ThrowsAsync<KeelException>(() => _service.CreateAsync("ep", "qa", "models:/m/1", null, null, null, null));
        Assert.Contains("environment", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<KeelException>(() => _service.CreateAsync("bad name", "dev", "models:/m/1", null, null, null, null));
        Assert.Contains("name", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<KeelException>(() => _service.CreateAsync("ep", "dev", "s3://x", null, null, null, null));
        Assert.Contains("model_uri", e.Message, StringComparison.Ordinal);
        await _service.CreateAsync("ep", "prod", "models:/m/1", null, null, null, "alice");
        e = await Assert.ThrowsAsync<KeelException>(() => _service.CreateAsync("ep", "prod", "models:/m/1", null, null, null, null));
        Assert.Equal(ErrorCode.ResourceAlreadyExists, e.Code);
        e = await Assert.ThrowsAsync<KeelException>(() => _service.StartRolloutAsync("ep", "models:/m/2", [50, 10, 100], null, null, null, null));
        Assert.Contains("steps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applying_a_spec_creates_it_once_changes_nothing_when_it_matches_and_brings_a_drifted_endpoint_back()
    {
        var spec = new Endpoint("declared", "prod", EndpointMode.Canary,
            [new Route("models:/m/1", 90, RouteRole.Primary), new Route("models:/m/2", 10, RouteRole.Challenger)],
            RolloutPolicy.Default, EndpointLimits.Default, null, null, [], 0, 0) { Version = 7 };

        var created = await _service.ApplyAsync(spec, "deploy");
        Assert.Equal((1L, EndpointMode.Canary), (created.Version, created.Mode));
        // A second replica starting with the same spec finds it as declared: no new revision, no event.
        var again = await _service.ApplyAsync(spec, "deploy");
        Assert.Equal(1, again.Version);
        Assert.Single(await _service.ListEventsAsync("declared"));

        // An operator changes the traffic; the declared spec brings it back as the next revision.
        await _service.SetTrafficAsync("declared", EndpointMode.Single, null, null, null, "bob");
        var restored = await _service.ApplyAsync(spec, "deploy");
        Assert.Equal(3, restored.Version);
        Assert.Equal(spec.Routes, (await _service.GetAsync("declared")).Routes);
        Assert.Equal("endpoint.apply", (await _service.ListEventsAsync("declared"))[0].Action);
    }

    [Fact]
    public async Task A_spec_is_checked_and_never_overrides_a_running_rollout()
    {
        var bad = new Endpoint("declared", "prod", EndpointMode.Canary,
            [new Route("models:/m/1", 90, RouteRole.Primary), new Route("models:/m/2", 20, RouteRole.Challenger)],
            RolloutPolicy.Default, EndpointLimits.Default, null, null, [], 0, 0);
        var e = await Assert.ThrowsAsync<KeelException>(() => _service.ApplyAsync(bad, null));
        Assert.Contains("add up to 110", e.Message, StringComparison.Ordinal);
        Assert.Null(await _store.FindEndpointAsync("declared"));

        await _service.CreateAsync("declared", "prod", "models:/m/1", null, null, null, null);
        await _service.StartRolloutAsync("declared", "models:/m/2", [10, 100], null, 100, null, null);
        var single = bad with { Mode = EndpointMode.Single, Routes = [new Route("models:/m/3", 100, RouteRole.Primary)] };
        e = await Assert.ThrowsAsync<KeelException>(() => _service.ApplyAsync(single, null));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        Assert.True((await _service.GetAsync("declared")).IsRollingOut);
    }

    [Fact]
    public async Task A_model_that_fails_to_load_changes_nothing()
    {
        await _service.CreateAsync("ep", "dev", "models:/m/1", null, null, null, null);
        _runtime.Broken.Add("models:/m/2");
        await Assert.ThrowsAsync<KeelException>(() => _service.StartRolloutAsync("ep", "models:/m/2", null, null, 100, null, null));
        var stored = await _service.GetAsync("ep");
        Assert.Null(stored.Rollout);
        Assert.Equal("models:/m/1", Assert.Single(stored.Routes).ModelUri);
        Assert.Single(_runtime.Applied);
    }

    [Fact]
    public async Task Rollout_lifecycle_is_stored_applied_and_audited()
    {
        await _service.CreateAsync("ep", "dev", "models:/m/1", null, null, null, "alice");
        var started = await _service.StartRolloutAsync("ep", "models:/m/2", [10, 100], null, 100, null, "alice");
        Assert.Equal([90, 10], started.Routes.Select(r => r.Weight));
        var step = new StepComparison(900, 100, 0, 0, 1, 1, 0);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var advanced = await _service.AdvanceRolloutAsync("ep", started.Rollout!.Id, step);
        Assert.Equal(100, advanced.Routes.Single(r => r.Role == RouteRole.Challenger).Weight);
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeMilliseconds(), advanced.Rollout!.StepStartedAt);
        var promoted = await _service.PromoteAsync("ep", null, step, "bob");
        Assert.Equal(RolloutState.Promoted, promoted.Rollout!.State);
        Assert.Equal(("models:/m/2", RouteRole.Primary), (promoted.Routes[0].ModelUri, promoted.Routes[0].Role));
        Assert.Equal(("models:/m/1", RouteRole.Standby), (promoted.Routes[1].ModelUri, promoted.Routes[1].Role));
        var e = await Assert.ThrowsAsync<KeelException>(() => _service.AbortAsync("ep", null, "bob"));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        var back = await _service.RollbackAsync("ep", "bad reviews", null, "bob");
        Assert.Equal("models:/m/1", back.Primary.ModelUri);
        Assert.Equal("bad reviews", back.Rollout!.Reason);

        var reloaded = await _store.FindEndpointAsync("ep");
        Assert.NotNull(reloaded);
        Assert.Equal(back.Routes, reloaded.Routes);
        Assert.Equal(back.Rollout.History.Select(h => h.Outcome), reloaded.Rollout!.History.Select(h => h.Outcome));
        var events = await _service.ListEventsAsync("ep");
        Assert.Equal(["endpoint.create", "rollout.start", "rollout.step", "rollout.promote", "rollout.rollback"], events.Select(x => x.Action).Reverse());
        Assert.Equal("bob", events[0].Actor);
        Assert.Equal(back, _runtime.Applied[^1]);
    }

    [Fact]
    public async Task A_new_rollout_keeps_the_previous_one_in_the_history()
    {
        await _service.CreateAsync("ep", "dev", "models:/m/1", null, null, null, null);
        await _service.StartRolloutAsync("ep", "models:/m/2", null, null, 10, null, null);
        await _service.AbortAsync("ep", "changed my mind", null);
        var second = await _service.StartRolloutAsync("ep", "models:/m/3", null, null, 10, null, null);
        Assert.Equal("changed my mind", Assert.Single(second.PastRollouts).Reason);
        var e = await Assert.ThrowsAsync<KeelException>(() => _service.SetTrafficAsync("ep", EndpointMode.Shadow, "models:/m/4", null, null, null));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
    }

    private sealed class RecordingRuntime : IServingRuntime
    {
        public HashSet<string> Broken { get; } = [];

        public List<Endpoint> Applied { get; } = [];

        public Task PrepareAsync(Endpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.Routes.FirstOrDefault(r => Broken.Contains(r.ModelUri)) is { } bad
                ? Task.FromException(KeelException.InvalidParameter($"Model '{bad.ModelUri}' failed to load"))
                : Task.CompletedTask;

        public void Apply(Endpoint endpoint) => Applied.Add(endpoint);

        public void Remove(string name)
        {
        }
    }
}
