using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Pipelines.Steps;
using Xunit;

namespace Keel.Pipelines.Tests;

/// <summary>The deploy step over the SQLite serving store and a recording runtime (no rollout controller: tests decide).</summary>
public sealed class DeployStepTests : IAsyncLifetime
{
    private readonly OpsFixture _f = new();
    private DeployStep _type = null!;

    public Task InitializeAsync()
    {
        _type = new DeployStep(_f.Services) { PollInterval = TimeSpan.FromMilliseconds(20) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task A_missing_endpoint_is_created_serving_the_model_and_the_version_links_to_the_pipeline_run()
    {
        var v1 = await RegisterAsync();
        var step = Step("""{"endpoint": "churn", "environment": "prod"}""");

        var outcome = await _type.RunAsync(_f.Context(step, null, Model(v1)), CancellationToken.None);

        Assert.Equal(("churn", DeployStep.NoRollout, "promoted", v1), (outcome.Outputs["endpoint"], outcome.Outputs["rollout_id"], outcome.Outputs["state"], outcome.Outputs["model"]));
        var endpoint = await _f.Serving.GetAsync("churn");
        Assert.Equal((v1, "prod"), (endpoint.Primary.ModelUri, endpoint.Environment));
        var tags = (await _f.Registry.GetModelVersionAsync("churn", "1")).Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("7", tags["keel.pipeline.run_id"]);
        Assert.Equal("churn", tags["keel.pipeline.deployed_to"]);
    }

    [Fact]
    public async Task Without_create_if_missing_a_missing_endpoint_fails()
    {
        var step = Step("""{"endpoint": "churn", "create_if_missing": false}""");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await _type.RunAsync(_f.Context(step, null, Model(await RegisterAsync())), CancellationToken.None));

        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_an_existing_endpoint_it_starts_a_canary_and_a_retry_follows_the_same_rollout()
    {
        var v1 = await RegisterAsync();
        var v2 = await RegisterAsync();
        await _f.Serving.CreateAsync("churn", null, v1, null, null, null, "alice");
        var step = Step("""{"endpoint": "churn", "steps": [10, 50, 100], "hold_requests": 200, "policy": {"max_error_rate_increase": 0.05}, "wait": false}""");

        var started = await _type.RunAsync(_f.Context(step, null, Model(v2)), CancellationToken.None);
        var retry = await _type.RunAsync(_f.Context(step, null, Model(v2), attempt: 2), CancellationToken.None);

        var endpoint = await _f.Serving.GetAsync("churn");
        Assert.True(endpoint.IsRollingOut);
        Assert.Equal((v1, v2, 200L), (endpoint.Rollout!.ChampionUri, endpoint.Rollout.ChallengerUri, endpoint.Rollout.HoldRequests!.Value));
        Assert.Equal([10, 50, 100], endpoint.Rollout.Steps);
        Assert.Equal(0.05, endpoint.Policy.MaxErrorRateIncrease);
        Assert.Equal(endpoint.Rollout.Id, started.Outputs["rollout_id"]);
        Assert.Equal(started.Outputs, retry.Outputs);
        Assert.Equal("running", started.Outputs["state"]);
        Assert.Empty(endpoint.PastRollouts);
        var events = await _f.Serving.ListEventsAsync("churn");
        Assert.Equal("pipeline:demo/run:7/step:deploy", Assert.Single(events, e => e.Action == "rollout.start").Actor);
    }

    [Fact]
    public async Task Waiting_it_ends_promoted_when_the_rollout_is_promoted_and_fails_with_the_reason_when_rolled_back()
    {
        var v1 = await RegisterAsync();
        var v2 = await RegisterAsync();
        var v3 = await RegisterAsync();
        await _f.Serving.CreateAsync("churn", null, v1, null, null, null, null);
        var step = Step("""{"endpoint": "churn", "steps": [50, 100]}""");

        var promoting = _type.RunAsync(_f.Context(step, null, Model(v2)), CancellationToken.None);
        var id = await RolloutStartedAsync(v2);
        await _f.Serving.PromoteAsync("churn", "all steps passed", null, "rollout-controller", rolloutId: id);
        var promoted = await promoting;
        Assert.Equal(("promoted", id, v2), (promoted.Outputs["state"], promoted.Outputs["rollout_id"], promoted.Outputs["model"]));

        var rollingBack = _type.RunAsync(_f.Context(step, null, Model(v3)), CancellationToken.None);
        id = await RolloutStartedAsync(v3);
        await _f.Serving.RollbackAsync("churn", "step 50%: error rate 9.00% vs champion 0.00%", null, "rollout-controller", rolloutId: id);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => rollingBack);
        Assert.Contains("rolled back: step 50%: error rate 9.00%", e.Message, StringComparison.Ordinal);
        Assert.Equal(v2, (await _f.Serving.GetAsync("churn")).Primary.ModelUri);
    }

    [Fact]
    public async Task A_model_already_served_is_not_deployed_again()
    {
        var v1 = await RegisterAsync();
        await _f.Serving.CreateAsync("churn", null, v1, null, null, null, null);

        var outcome = await _type.RunAsync(_f.Context(Step("""{"endpoint": "churn"}"""), null, Model(v1)), CancellationToken.None);

        Assert.Equal("promoted", outcome.Outputs["state"]);
        Assert.Equal(1, (await _f.Serving.GetAsync("churn")).Version);
    }

    [Fact]
    public async Task Blue_green_switches_all_traffic_and_keeps_the_old_model_as_standby()
    {
        var v1 = await RegisterAsync();
        var v2 = await RegisterAsync();
        await _f.Serving.CreateAsync("churn", null, v1, null, null, null, null);

        var outcome = await _type.RunAsync(_f.Context(Step("""{"endpoint": "churn", "strategy": "blue_green"}"""), null, Model(v2)), CancellationToken.None);

        var endpoint = await _f.Serving.GetAsync("churn");
        Assert.Equal(EndpointMode.BlueGreen, endpoint.Mode);
        Assert.Equal((v2, 100), (endpoint.Primary.ModelUri, endpoint.Primary.Weight));
        Assert.Equal(v1, Assert.Single(endpoint.Routes, r => r.Role == RouteRole.Standby).ModelUri);
        Assert.Equal(("promoted", DeployStep.NoRollout), (outcome.Outputs["state"], outcome.Outputs["rollout_id"]));
    }

    [Fact]
    public async Task Without_serving_it_fails_saying_where_to_run_it()
    {
        await using var f = new OpsFixture(serving: false);
        var type = new DeployStep(f.Services);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => type.RunAsync(f.Context(Step("""{"endpoint": "churn"}"""), null, Model("models:/m/1")), CancellationToken.None));

        Assert.Equal("deploy steps need a process that serves endpoints: run the pipeline on keel server", e.Message);
    }

    [Theory]
    [InlineData("""{}""", "parameter 'endpoint' is required")]
    [InlineData("""{"endpoint": "e", "strategy": "rolling"}""", "'strategy' must be canary or blue_green")]
    [InlineData("""{"endpoint": "e", "steps": [50, 10]}""", "'steps' must be increasing percentages")]
    [InlineData("""{"endpoint": "e", "steps": [10, 50]}""", "ending at 100")]
    [InlineData("""{"endpoint": "e", "strategy": "blue_green", "steps": [10, 100]}""", "'steps' applies to the canary strategy only")]
    [InlineData("""{"endpoint": "e", "hold_seconds": 5, "hold_requests": 10}""", "cannot be given with hold_seconds")]
    [InlineData("""{"endpoint": "e", "policy": {"max_latency": 3}}""", "'policy.max_latency' is not known")]
    [InlineData("""{"endpoint": "e", "wait": "soon"}""", "'wait' must be true or false")]
    public void Validate_refuses_bad_parameters_naming_the_step(string parameters, string expected)
    {
        var e = Assert.Throws<KeelException>(() => _type.Validate(OpsFixture.Step("deploy", parameters, name: "ship")));

        Assert.Contains("Step 'ship'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static Keel.Core.Pipelines.Definition.StepDefinition Step(string parameters) =>
        OpsFixture.Step("deploy", parameters, new Dictionary<string, string> { ["model"] = "${steps.register.model}" }, name: "deploy");

    private static Dictionary<string, string> Model(string uri) => new() { ["model"] = uri };

    private async Task<string> RegisterAsync()
    {
        var model = await _f.LogModelAsync();
        var resolved = await _f.Registry.ResolveModelUriAsync(model);
        var version = await _f.Registry.RegisterModelAsync("churn", resolved.ArtifactUri, model.Split('/')[1], null);
        return $"models:/churn/{version.Version}";
    }

    private async Task<string> RolloutStartedAsync(string challenger)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var endpoint = await _f.Serving.GetAsync("churn");
            if (endpoint is { IsRollingOut: true, Rollout: { } r } && r.ChallengerUri == challenger)
            {
                return r.Id;
            }

            Assert.True(DateTime.UtcNow < deadline, "the rollout did not start within 30 s");
            await Task.Delay(20);
        }
    }
}
