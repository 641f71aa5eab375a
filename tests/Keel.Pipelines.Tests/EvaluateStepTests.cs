using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Compute.Metrics;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines.Tests;

[Collection(StepsCollection.Name)]
public sealed class EvaluateStepTests(StepsFixture fixture)
{
    [Fact]
    public async Task Scores_the_dataset_and_its_auc_is_what_keel_compute_gives_on_the_predictions()
    {
        var model = (await fixture.TrainedAsync()).Outputs["model"];
        var withCohort = fixture.DerivedCsv("cohort.csv", (fields, row) => [.. fields, row < 0 ? "cohort" : row % 3 == 0 ? "a" : "b"]);
        var added = await fixture.Services.Data.AddAsync(withCohort, "breast-cancer-eval", null, "test", null, CancellationToken.None);

        var (outcome, context, _) = await fixture.RunAsync(
            new EvaluateStep(fixture.Services),
            """{"label": "diagnosis", "slices": ["cohort"]}""",
            new Dictionary<string, string> { ["model"] = model, ["dataset"] = added.Version!.Uri });

        Assert.Equal($"runs:/{context.MlflowRunId}/evaluation/predictions.csv", outcome.Outputs["predictions"]);
        var lines = (await fixture.ReadTextAsync(outcome.Outputs["predictions"])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row_id,label,prediction,score,cohort", lines[0]);
        Assert.Equal(570, lines.Length);
        var rows = lines[1..].Select(l => l.Split(',')).ToList();
        Assert.Equal(Enumerable.Range(0, 569).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        var labels = rows.Select(r => r[1] == "malignant").ToArray();
        var scores = rows.Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).ToArray();

        var metrics = JsonNode.Parse(await fixture.ReadTextAsync(outcome.Outputs["metrics"]))!.AsObject();
        var auc = BinaryMetrics.Auc(labels, scores);
        Assert.Equal(auc, (double)metrics["auc"]!, 12);
        Assert.Equal(auc, outcome.Metrics!["auc"], 12);
        Assert.Equal(BinaryMetrics.Compute(labels, scores)["accuracy"], (double)metrics["accuracy"]!, 12);
        Assert.InRange(auc, 0.9, 1.0);

        var evaluation = JsonNode.Parse(await fixture.ReadTextAsync(outcome.Outputs["metrics"].Replace("metrics.json", "evaluation.json", StringComparison.Ordinal)))!;
        Assert.Equal("binary", (string?)evaluation["task"]);
        Assert.Equal("malignant", (string?)evaluation["positive_class"]);
        var cohorts = evaluation["slices"]!["cohort"]!.AsObject();
        Assert.Equal(190, (int)cohorts["a"]!["count"]!);
        Assert.Equal(379, (int)cohorts["b"]!["count"]!);
        var inA = Enumerable.Range(0, 569).Where(i => i % 3 == 0).ToArray();
        Assert.Equal(BinaryMetrics.Auc(inA.Select(i => labels[i]).ToArray(), inA.Select(i => scores[i]).ToArray()), (double)cohorts["a"]!["metrics"]!["auc"]!, 12);
    }

    [Fact]
    public async Task An_unknown_label_column_fails_naming_the_step_and_the_column()
    {
        var model = (await fixture.TrainedAsync()).Outputs["model"];

        var error = await Assert.ThrowsAsync<Keel.Core.Errors.KeelException>(() => fixture.RunAsync(
            new EvaluateStep(fixture.Services), """{"label": "outcome"}""", new Dictionary<string, string> { ["model"] = model, ["dataset"] = StepsFixture.Dataset }));

        Assert.Contains("Step 'evaluate-step' (evaluate): label column 'outcome' is not in the dataset", error.Message, StringComparison.Ordinal);
    }
}
