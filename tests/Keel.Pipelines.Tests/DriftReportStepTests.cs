using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines.Tests;

[Collection(StepsCollection.Name)]
public sealed class DriftReportStepTests(StepsFixture fixture)
{
    [Fact]
    public async Task A_shifted_copy_drifts_and_the_report_says_which_columns()
    {
        // Every feature scaled by 1.5: each numeric column's distribution moves.
        var shifted = fixture.DerivedCsv("shifted.csv", (fields, row) => row < 0 ? fields
            : [.. fields[..^1].Select(f => (double.Parse(f, CultureInfo.InvariantCulture) * 1.5).ToString("R", CultureInfo.InvariantCulture)), fields[^1]]);
        var current = (await fixture.Services.Data.AddAsync(shifted, "breast-cancer-shifted", null, "test", null, CancellationToken.None)).Version!.Uri;

        var (outcome, context, _) = await fixture.RunAsync(
            new DriftReportStep(fixture.Services), "{}", new Dictionary<string, string> { ["reference"] = StepsFixture.Dataset, ["current"] = current });

        Assert.Equal("true", outcome.Outputs["drifted"]);
        Assert.Equal($"runs:/{context.MlflowRunId}/drift/drift_report.json", outcome.Outputs["report"]);
        var report = JsonNode.Parse(await fixture.ReadTextAsync(outcome.Outputs["report"]))!;
        Assert.True((bool)report["dataset_drift"]!);
        Assert.Equal(31, (int)report["number_of_columns"]!);
        var radius = report["columns"]!.AsArray().Single(c => (string?)c!["column"] == "mean_radius")!;
        Assert.True((bool)radius["drift_detected"]!);
        var diagnosis = report["columns"]!.AsArray().Single(c => (string?)c!["column"] == "diagnosis")!;
        Assert.False((bool)diagnosis["drift_detected"]!);
        Assert.Equal((double)report["share_of_drifted_columns"]!, outcome.Metrics!["share_of_drifted_columns"]);
        Assert.Equal(30, outcome.Metrics["number_of_drifted_columns"]);
        Assert.Contains("<svg", await fixture.ReadTextAsync($"runs:/{context.MlflowRunId}/drift/drift_report.html"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_data_does_not_drift_and_columns_limit_the_comparison()
    {
        var (outcome, _, _) = await fixture.RunAsync(
            new DriftReportStep(fixture.Services),
            """{"columns": ["mean_radius", "mean_area"], "method": "psi", "threshold": 0.2}""",
            new Dictionary<string, string> { ["reference"] = StepsFixture.Dataset, ["current"] = StepsFixture.DataFile("breast_cancer.csv") });

        Assert.Equal("false", outcome.Outputs["drifted"]);
        var report = JsonNode.Parse(await fixture.ReadTextAsync(outcome.Outputs["report"]))!;
        Assert.Equal(2, (int)report["number_of_columns"]!);
        Assert.All(report["columns"]!.AsArray(), c => Assert.Equal("psi", (string?)c!["stattest"]));
        Assert.Equal(0, outcome.Metrics!["number_of_drifted_columns"]);
    }
}
