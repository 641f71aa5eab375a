using Keel.Core.Errors;
using Keel.Pipelines.Steps;
using Xunit;

namespace Keel.Pipelines.Tests;

/// <summary>The register step over a real SQLite registry.</summary>
public sealed class RegisterStepTests : IAsyncLifetime
{
    private readonly OpsFixture _f = new();
    private RegisterStep _type = null!;

    public Task InitializeAsync()
    {
        _type = new RegisterStep(_f.Services);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Registers_a_new_version_with_tags_and_moves_the_alias()
    {
        var model = await _f.LogModelAsync();
        var step = OpsFixture.Step("register", """{"name": "churn", "alias": "champion", "tags": {"team": "risk"}, "description": "retrained"}""", new Dictionary<string, string> { ["model"] = "${steps.train.model}" });
        _type.Validate(step);

        var outcome = await _type.RunAsync(_f.Context(step, "steprun1", new Dictionary<string, string> { ["model"] = model }), CancellationToken.None);

        Assert.Equal("models:/churn/1", outcome.Outputs["model"]);
        Assert.Equal("1", outcome.Outputs["version"]);
        var version = await _f.Registry.GetModelVersionByAliasAsync("churn", "champion");
        Assert.Equal(1, version.Version);
        Assert.Equal(model.Split('/')[1], version.RunId);
        Assert.StartsWith("mlflow-artifacts:", version.Source, StringComparison.Ordinal);
        Assert.Equal("retrained", version.Description);
        var tags = version.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("risk", tags["team"]);
        Assert.Equal("7", tags["keel.pipeline.run_id"]);
        Assert.Equal("steprun1", tags["keel.pipeline.step_run_id"]);
    }

    [Fact]
    public async Task A_retry_reuses_the_version_registered_from_the_same_source_and_a_new_model_gets_the_next()
    {
        var model = await _f.LogModelAsync();
        var step = OpsFixture.Step("register", """{"name": "churn", "alias": "latest-pipeline"}""", new Dictionary<string, string> { ["model"] = model });

        var first = await _type.RunAsync(_f.Context(step, null), CancellationToken.None);
        var retry = await _type.RunAsync(_f.Context(step, null, attempt: 2), CancellationToken.None);

        Assert.Equal(first.Outputs, retry.Outputs);
        Assert.Single((await _f.Registry.SearchModelVersionsAsync("name='churn'", null, 100, null)).Items);
        Assert.Contains(_f.Log, l => l.Contains("reusing it", StringComparison.Ordinal));

        var next = await _type.RunAsync(_f.Context(step, null, new Dictionary<string, string> { ["model"] = await _f.LogModelAsync() }), CancellationToken.None);
        Assert.Equal("models:/churn/2", next.Outputs["model"]);
        Assert.Equal(2, (await _f.Registry.GetModelVersionByAliasAsync("churn", "latest-pipeline")).Version);
    }

    [Fact]
    public async Task A_models_uri_of_the_same_model_is_that_version_and_of_another_is_registered_as_a_copy()
    {
        var step = OpsFixture.Step("register", """{"name": "churn"}""", new Dictionary<string, string> { ["model"] = await _f.LogModelAsync() });
        await _type.RunAsync(_f.Context(step, null), CancellationToken.None);

        var same = await _type.RunAsync(_f.Context(step, null, new Dictionary<string, string> { ["model"] = "models:/churn/1" }), CancellationToken.None);
        Assert.Equal("models:/churn/1", same.Outputs["model"]);

        var copy = OpsFixture.Step("register", """{"name": "churn-prod"}""");
        var copied = await _type.RunAsync(_f.Context(copy, null, new Dictionary<string, string> { ["model"] = "models:/churn/1" }), CancellationToken.None);
        Assert.Equal("models:/churn-prod/1", copied.Outputs["model"]);
        Assert.Equal("models:/churn/1", (await _f.Registry.GetModelVersionAsync("churn-prod", "1")).Source);
    }

    [Fact]
    public async Task A_gate_decision_other_than_pass_refuses_and_registers_nothing()
    {
        var step = OpsFixture.Step("register", """{"name": "churn"}""");
        var inputs = new Dictionary<string, string> { ["model"] = await _f.LogModelAsync(), ["decision"] = "fail" };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _type.RunAsync(_f.Context(step, null, inputs), CancellationToken.None));

        Assert.Contains("gate decision was fail", e.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<KeelException>(() => _f.Registry.GetRegisteredModelAsync("churn"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);

        inputs["decision"] = "pass";
        Assert.Equal("1", (await _type.RunAsync(_f.Context(step, null, inputs), CancellationToken.None)).Outputs["version"]);
    }

    [Theory]
    [InlineData("""{}""", "parameter 'name' is required")]
    [InlineData("""{"name": "m", "stage": "Production"}""", "parameter 'stage' is not known")]
    [InlineData("""{"name": "m", "tags": {"a": 1}}""", "'tags.a' must be a string")]
    [InlineData("""{"name": "m", "alias": 3}""", "'alias' must be a non-empty string")]
    public void Validate_refuses_bad_parameters_naming_the_step(string parameters, string expected)
    {
        var e = Assert.Throws<KeelException>(() => _type.Validate(OpsFixture.Step("register", parameters, name: "reg")));

        Assert.Contains("Step 'reg'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
