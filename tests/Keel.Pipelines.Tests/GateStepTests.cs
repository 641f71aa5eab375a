using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines.Tests;

[Collection(StepsCollection.Name)]
public sealed class GateStepTests(StepsFixture fixture)
{
    [Fact]
    public async Task Without_a_champion_the_first_model_passes_on_its_bounds_and_the_report_names_dataset_and_models()
    {
        var model = (await fixture.TrainedAsync()).Outputs["model"];
        var (outcome, _, log) = await fixture.RunAsync(
            new GateStep(fixture.Services),
            """{"label": "diagnosis", "champion": "models:/no-such-model@champion", "metrics": [{"name": "accuracy", "direction": "higher_is_better", "bound": 0.8}]}""",
            new Dictionary<string, string> { ["challenger"] = model, ["dataset"] = StepsFixture.Dataset });

        Assert.Equal(("pass", "none"), (outcome.Outputs["decision"], outcome.Outputs["champion"]));
        Assert.Contains(log, l => l.Contains("judging as the first model", StringComparison.Ordinal));
        var report = JsonNode.Parse(await fixture.ReadTextAsync(outcome.Outputs["report"]))!;
        Assert.Equal(model, (string?)report["challenger"]);
        Assert.Equal(StepsFixture.Dataset, (string?)report["dataset"]);
        Assert.False(string.IsNullOrEmpty((string?)report["dataset_digest"]));
        Assert.True((bool)report["gate"]!["first_model"]!);
        Assert.Equal(1.0, outcome.Metrics!["gate_passed"]);
    }

    [Fact]
    public async Task A_challenger_no_better_than_the_champion_fails_when_significance_is_required()
    {
        var model = (await fixture.TrainedAsync()).Outputs["model"];
        const string Policy = """
            {"label": "diagnosis", "champion": "models:/breast-cancer-model/1", "fail_on_reject": false,
             "metrics": [{"name": "accuracy", "direction": "higher_is_better", "significance": "superiority"}]}
            """;
        var (outcome, _, _) = await fixture.RunAsync(new GateStep(fixture.Services), Policy, new Dictionary<string, string> { ["challenger"] = model, ["dataset"] = StepsFixture.Dataset });

        Assert.Equal(("fail", "models:/breast-cancer-model/1"), (outcome.Outputs["decision"], outcome.Outputs["champion"]));
        var check = JsonNode.Parse(await fixture.ReadTextAsync(outcome.Outputs["report"]))!["gate"]!["checks"]!.AsArray().Single(c => (string?)c!["name"] == "accuracy")!;
        Assert.Equal("failed", (string?)check["status"]);
        Assert.Equal(0.0, (double)check["delta"]!);

        // By default a rejection fails the step, so nothing downstream registers or deploys the model.
        await Assert.ThrowsAsync<GateRejectedException>(() => fixture.RunAsync(
            new GateStep(fixture.Services), Policy.Replace("\"fail_on_reject\": false,", string.Empty, StringComparison.Ordinal),
            new Dictionary<string, string> { ["challenger"] = model, ["dataset"] = StepsFixture.Dataset }));
    }

    [Fact]
    public void A_bad_policy_is_refused_when_the_pipeline_is_applied_naming_the_step()
    {
        var step = StepsFixture.Step("judge", "gate", """{"label": "diagnosis", "metrics": [{"name": "auc", "direction": "sideways"}]}""");
        var e = Assert.Throws<KeelException>(() => new GateStep(fixture.Services).Validate(step));
        Assert.Contains("Step 'judge' (gate)", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KeelException>(() => new GateStep(fixture.Services).Validate(StepsFixture.Step("judge", "gate", """{"label": "diagnosis", "thresholds": 1}""")));
        Assert.Contains("thresholds", e.Message, StringComparison.Ordinal);
    }
}
