using System.Collections.Concurrent;
using System.Net;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>Progressive rollouts on a real server: promotion, automatic rollback with reason, zero errors under load.</summary>
[Collection(ServerCollection.Name)]
public sealed class RolloutTests(ServerFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ServingApi _api = new(fixture.Http);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Clean_canary_steps_up_and_promotes_then_rolls_back_to_the_warm_champion()
    {
        var model = Unique("can");
        var v1 = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
        var v2 = await _api.RegisterLinearAsync(model, [1f, 1f, 1.01f], 0f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, v1);
        var started = await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollout", new { model_uri = v2, steps = new[] { 10, 50, 100 }, hold_requests = 25, policy = ServingApi.PromotionPolicy });
        Assert.Equal("running", ServingApi.RolloutState(started));
        Assert.Equal(10, (int)started["endpoint"]!["routes"]![1]!["weight"]!);

        var done = await _api.WaitForAsync(name, s => ServingApi.RolloutState(s) != "running", Timeout, driveTraffic: true);
        Assert.Equal("promoted", ServingApi.RolloutState(done));
        var history = done["endpoint"]!["rollout"]!["history"]!.AsArray();
        Assert.Equal(["passed", "passed", "promoted"], history.Select(h => (string)h!["outcome"]!));
        Assert.Equal([10, 50, 100], history.Select(h => (int)h!["percent"]!));
        Assert.All(history, h => Assert.True((long)h!["comparison"]!["challenger_requests"]! >= 25));
        Assert.Equal($"{model}/2", (await _api.InferAsync(name, 1, 1, 1)).Version);

        var back = await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollback", new { reason = "customer complaints" });
        Assert.Equal("rolled_back", ServingApi.RolloutState(back));
        Assert.Equal("customer complaints", (string?)back["endpoint"]!["rollout"]!["reason"]);
        Assert.Equal($"{model}/1", (await _api.InferAsync(name, 1, 1, 1)).Version);

        var events = await _api.OkAsync(HttpMethod.Get, $"/api/2.0/keel/endpoints/{name}/events");
        var actions = events["events"]!.AsArray().Select(e => (string)e!["action"]!).Reverse().ToList();
        Assert.Equal(["endpoint.create", "rollout.start", "rollout.step", "rollout.step", "rollout.promote", "rollout.rollback"], actions);
    }

    [Fact]
    public async Task Diverging_challenger_is_rolled_back_automatically_with_the_reason()
    {
        var model = Unique("div");
        var v1 = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
        var bad = await _api.RegisterLinearAsync(model, [-5f, 3f, 0f], 40f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, v1);
        await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollout", new { model_uri = bad, steps = new[] { 20, 100 }, hold_requests = 1000 });

        var done = await _api.WaitForAsync(name, s => ServingApi.RolloutState(s) != "running", Timeout, driveTraffic: true);
        Assert.Equal("rolled_back", ServingApi.RolloutState(done));
        var reason = (string?)done["endpoint"]!["rollout"]!["reason"];
        Assert.Contains("divergence", reason, StringComparison.Ordinal);
        Assert.Equal("breached", (string?)done["endpoint"]!["rollout"]!["history"]![0]!["outcome"]);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"{model}/1", (await _api.InferAsync(name, 1, 1, 1)).Version);
        }
    }

    [Fact]
    public async Task Failing_challenger_is_rolled_back_on_error_rate_with_the_reason()
    {
        var model = Unique("fail");
        var v1 = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
        // Its signature asks for a column callers do not send: every request it gets fails.
        const string FourColumns = """[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}, {"type": "double", "name": "c", "required": true}, {"type": "double", "name": "d", "required": true}]""";
        var failing = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f, FourColumns);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, v1);
        await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollout", new { model_uri = failing, steps = new[] { 20, 100 }, hold_requests = 1000 });

        var done = await _api.WaitForAsync(name, s => ServingApi.RolloutState(s) != "running", Timeout, driveTraffic: true, tolerateErrors: true);
        Assert.Equal("rolled_back", ServingApi.RolloutState(done));
        Assert.Contains("error rate", (string?)done["endpoint"]!["rollout"]!["reason"], StringComparison.Ordinal);
        var comparison = done["endpoint"]!["rollout"]!["history"]![0]!["comparison"]!;
        Assert.Equal(1.0, (double)comparison["challenger_error_rate"]!);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _api.InferAsync(name, 1, 1, 1)).Status);
        }
    }

    [Fact]
    public async Task Slow_challenger_is_rolled_back_on_p99_latency_with_the_reason()
    {
        var model = Unique("slow");
        var v1 = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
        // The same answers as v1 (so no divergence and no errors), but tens of milliseconds each.
        var slow = await _api.RegisterSlowAsync(model, [1f, 1f, 1f], 0f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, v1);
        await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollout", new { model_uri = slow, steps = new[] { 50, 100 }, hold_requests = 30 });

        var done = await _api.WaitForAsync(name, s => ServingApi.RolloutState(s) != "running", Timeout, driveTraffic: true);
        Assert.True(ServingApi.RolloutState(done) == "rolled_back", done.ToJsonString());
        Assert.Contains("p99", (string?)done["endpoint"]!["rollout"]!["reason"], StringComparison.Ordinal);
        var comparison = done["endpoint"]!["rollout"]!["history"]![0]!["comparison"]!;
        Assert.True((double)comparison["challenger_p99_ms"]! > (double)comparison["champion_p99_ms"]!, comparison.ToJsonString());
        Assert.Equal(0.0, (double)comparison["challenger_error_rate"]!);
        Assert.Equal($"{model}/1", (await _api.InferAsync(name, 1, 1, 1)).Version);
    }

    [Fact]
    public async Task Concurrent_load_through_a_rollout_a_rollback_and_a_blue_green_switch_sees_no_error()
    {
        var model = Unique("load");
        var v1 = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0f);
        var v2 = await _api.RegisterLinearAsync(model, [1f, 1f, 1f], 0.001f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, v1);

        // The load stops when the test says so, or at the deadline if the test fails before that.
        using var stop = Eventually.Deadline(Timeout * 2);
        var failures = new ConcurrentBag<string>();
        long ok = 0;
        var load = Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            var rnd = new Random(c);
            while (!stop.IsCancellationRequested)
            {
                var (status, prediction, version) = await _api.InferAsync(name, rnd.NextDouble(), rnd.NextDouble(), rnd.NextDouble());
                if (status != HttpStatusCode.OK || prediction is null || version is null)
                {
                    failures.Add($"{(int)status} {version}");
                }
                else
                {
                    Interlocked.Increment(ref ok);
                }
            }
        })).ToArray();

        try
        {
            await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollout", new { model_uri = v2, steps = new[] { 10, 50, 100 }, hold_requests = 50, policy = ServingApi.PromotionPolicy });
            var done = await _api.WaitForAsync(name, s => ServingApi.RolloutState(s) != "running", Timeout);
            Assert.Equal("promoted", ServingApi.RolloutState(done));
            await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollback", new { });
            await _api.OkAsync(HttpMethod.Put, $"/api/2.0/keel/endpoints/{name}/traffic", new { mode = "blue_green", model_uri = v2 });
            await _api.OkAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollback", new { });
            var before = Interlocked.Read(ref ok);
            await Eventually.WaitUntilAsync(() => Interlocked.Read(ref ok) >= before + 200, Timeout, "200 more answered requests after the last switch");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        Assert.Empty(failures);
        Assert.True(ok > 300, $"only {ok} requests");
    }
}
