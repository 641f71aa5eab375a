using Keel.Core.Tracking;
using Keel.ML;
using Keel.Training;
using Xunit;

namespace Keel.Training.Tests;

public sealed class EndToEndTests
{
    [Fact]
    public async Task Binary_breast_cancer_tracks_trials_and_packages_a_loadable_model()
    {
        using var fx = new TrainingFixture();
        var spec = new TrainingSpec
        {
            Data = TrainingFixture.DataFile("breast_cancer.csv"),
            Label = "diagnosis",
            Task = TrainingTask.Binary,
            Trials = 10,
            Parallelism = 2,
            Experiment = "bc",
        };
        var result = await fx.Runner().RunAsync(spec);

        Assert.True(result.Metrics["auc"] >= 0.98, $"AUC {result.Metrics["auc"]}");
        foreach (var key in new[] { "auc", "pr_auc", "accuracy", "f1", "precision", "recall", "log_loss", "brier_score", "expected_calibration_error" })
        {
            Assert.Contains(key, result.Metrics.Keys);
        }

        var parent = await fx.Tracking.GetRunAsync(result.ParentRunId);
        Assert.Equal(RunStatus.Finished, parent.Info.Status);
        Assert.Contains(parent.Data.Metrics, m => m.Key == "auc");
        Assert.Contains(parent.Data.Tags, t => t.Key == "keel.data.hash" && t.Value.StartsWith("xxh128:", StringComparison.Ordinal));
        Assert.Equal(10, result.Trials.Count);
        foreach (var trial in result.Trials)
        {
            var child = await fx.Tracking.GetRunAsync(trial.RunId);
            Assert.Contains(child.Data.Tags, t => t.Key == "mlflow.parentRunId" && t.Value == result.ParentRunId);
            Assert.Contains(child.Data.Params, p => p.Key == "trainer");
            Assert.Contains(child.Data.Metrics, m => m.Key == "auc");
        }

        foreach (var file in new[] { "model/MLmodel", "model/model.zip", "plots/roc.svg", "plots/pr.svg", "plots/calibration.svg", "plots/confusion_matrix.svg",
            "plots/search_learning_curve.svg", "explain/feature_importance.json", "model_card.md", "model_card.html", "search/trials.csv" })
        {
            Assert.True(File.Exists(fx.ArtifactPath(parent, file)), file);
        }

        using var model = ModelLoader.Load(fx.ArtifactPath(parent, "model"));
        Assert.NotNull(model.Manifest.Keel);
        Assert.Equal(result.DatasetHash, model.Manifest.Keel!.TrainingDatasetHash);
        Assert.NotEmpty(model.Manifest.Keel.FeatureImportance);
        Assert.Equal(30, model.InputColumns.Count);
    }
}
