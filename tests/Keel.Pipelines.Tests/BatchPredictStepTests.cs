using Keel.Data.Tables;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines.Tests;

[Collection(StepsCollection.Name)]
public sealed class BatchPredictStepTests(StepsFixture fixture)
{
    [Fact]
    public async Task Writes_parquet_predictions_as_an_artifact_of_the_step_run()
    {
        var model = (await fixture.TrainedAsync()).Outputs["model"];

        var (outcome, context, _) = await fixture.RunAsync(
            new BatchPredictStep(fixture.Services), """{"format": "parquet"}""", new Dictionary<string, string> { ["model"] = model, ["dataset"] = StepsFixture.Dataset });

        Assert.Equal($"runs:/{context.MlflowRunId}/predictions/predictions.parquet", outcome.Outputs["predictions"]);
        Assert.Equal("569", outcome.Outputs["rows"]);
        var table = await ColumnarTable.ReadAsync(await fixture.LocalAsync(outcome.Outputs["predictions"]), ["diagnosis", "prediction", "probability_malignant"], CancellationToken.None);
        Assert.Equal(569, table.Text["prediction"].Length);
        Assert.All(table.Text["prediction"], p => Assert.Contains(p, new[] { "benign", "malignant" }));
        Assert.All(table.Numeric["probability_malignant"], p => Assert.InRange(p, 0, 1));

        // The model is good, so its predictions mostly match the labels kept beside them.
        var agree = table.Text["prediction"].Zip(table.Text["diagnosis"]).Count(x => x.First == x.Second);
        Assert.InRange(agree, 500, 569);
    }

    [Fact]
    public async Task With_output_dataset_the_predictions_become_a_dataset_version()
    {
        var model = (await fixture.TrainedAsync()).Outputs["model"];

        var (outcome, _, _) = await fixture.RunAsync(
            new BatchPredictStep(fixture.Services), """{"output_dataset": "breast-cancer-scored"}""", new Dictionary<string, string> { ["model"] = model, ["dataset"] = StepsFixture.Dataset });

        Assert.Equal("datasets:/breast-cancer-scored/1", outcome.Outputs["predictions"]);
        var version = await fixture.Services.Datasets.ResolveAsync(outcome.Outputs["predictions"], CancellationToken.None);
        Assert.Equal(569, version.RowCount);
        Assert.Equal("csv", version.Format);
        Assert.Contains("\"prediction\"", version.Schema, StringComparison.Ordinal);
    }
}
