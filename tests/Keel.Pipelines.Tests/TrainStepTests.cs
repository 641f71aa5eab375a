using System.Text.Json.Nodes;
using Keel.ML.Batch;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines.Tests;

[Collection(StepsCollection.Name)]
public sealed class TrainStepTests(StepsFixture fixture)
{
    [Fact]
    public async Task Trains_registers_and_nests_the_training_run_under_the_step_run()
    {
        var outcome = await fixture.TrainedAsync();

        Assert.Equal("models:/breast-cancer-model/1", outcome.Outputs["model"]);
        var training = await fixture.Services.Tracking.GetRunAsync(outcome.Outputs["run_id"]);
        var stepRun = training.Data.Tags.Single(t => t.Key == "mlflow.parentRunId").Value;
        Assert.Equal("train-step", (await fixture.Services.Tracking.GetRunAsync(stepRun)).Info.RunName);
        Assert.Equal(StepsFixture.Dataset, training.Data.Params.Single(p => p.Key == "data").Value);
        Assert.Equal("3", training.Data.Params.Single(p => p.Key == "trials").Value);
        Assert.Equal("lbfgs", training.Data.Params.Single(p => p.Key == "trainers").Value);

        // The metrics output is the held-out metrics the training run logged.
        var metrics = JsonNode.Parse(await fixture.ReadTextAsync(outcome.Outputs["metrics"]))!.AsObject();
        var auc = (double)metrics["auc"]!;
        Assert.Equal(auc, outcome.Metrics!["auc"]);
        Assert.Equal(auc, training.Data.Metrics.Single(m => m.Key == "auc").Value, 12);
        Assert.InRange(auc, 0.9, 1.0);
    }

    [Fact]
    public async Task The_model_output_loads_and_scores()
    {
        var outcome = await fixture.TrainedAsync();
        var model = await fixture.Services.Models.LoadModelAsync(outcome.Outputs["model"]);
        var output = Path.Combine(fixture.Root, "train-scored.csv");

        var rows = await BatchPredictor.PredictFileAsync(model, StepsFixture.DataFile("breast_cancer.csv"), output);

        Assert.Equal(569, rows);
        var header = File.ReadLines(output).First();
        Assert.Contains("prediction", header, StringComparison.Ordinal);
        Assert.Contains("probability_malignant", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_register_as_the_model_is_the_training_runs_model_and_search_keys_nest()
    {
        var (outcome, _, log) = await fixture.RunAsync(
            new TrainStep(fixture.Services),
            """{"label": "diagnosis", "task": "binary", "search": {"trials": 2, "trainers": ["lbfgs"]}, "parallelism": 1, "seed": 7}""",
            new Dictionary<string, string> { ["dataset"] = StepsFixture.Dataset });

        Assert.Equal($"runs:/{outcome.Outputs["run_id"]}/model", outcome.Outputs["model"]);
        Assert.NotNull(await fixture.Services.Models.LoadModelAsync(outcome.Outputs["model"]));
        Assert.Contains(log, l => l.StartsWith("train: searching", StringComparison.Ordinal));
        Assert.InRange(log.Count, 3, 20);
    }
}
