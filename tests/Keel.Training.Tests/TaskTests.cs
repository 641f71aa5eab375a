using Keel.ML;
using Keel.ML.Data;
using Keel.ML.Repository;
using Xunit;

namespace Keel.Training.Tests;

public sealed class TaskTests
{
    [Fact]
    public async Task Multiclass_wine_logs_per_class_metrics_and_a_confusion_matrix()
    {
        using var fx = new TrainingFixture();
        var result = await fx.Runner().RunAsync(new TrainingSpec
        {
            Data = TrainingFixture.DataFile("wine.csv"), Label = "class", Task = TrainingTask.Multiclass, Trials = 6, Parallelism = 2,
        });
        Assert.True(result.Metrics["micro_accuracy"] >= 0.9, $"accuracy {result.Metrics["micro_accuracy"]}");
        Assert.Contains("macro_accuracy", result.Metrics.Keys);
        Assert.Contains("log_loss", result.Metrics.Keys);
        Assert.Contains("class_class_0_recall", result.Metrics.Keys);
        var parent = await fx.Tracking.GetRunAsync(result.ParentRunId);
        Assert.True(File.Exists(fx.ArtifactPath(parent, "plots/confusion_matrix.svg")));
        Assert.True(File.Exists(fx.ArtifactPath(parent, "evaluation/confusion_matrix.csv")));

        using var model = ModelLoader.Load(fx.ArtifactPath(parent, "model"));
        var row = File.ReadLines(TrainingFixture.DataFile("wine.csv")).Skip(1).First().Split(',');
        var columns = model.InputColumns.Select((c, i) => BatchColumn.Of(c.Name!, new[] { float.Parse(row[i], System.Globalization.CultureInfo.InvariantCulture) })).ToList();
        var prediction = model.Predict(new ColumnBatch(columns));
        Assert.Equal(1, prediction.RowCount);
    }

    [Fact]
    public async Task Regression_diabetes_with_kfold_logs_spread_and_residual_plot()
    {
        using var fx = new TrainingFixture();
        var result = await fx.Runner().RunAsync(new TrainingSpec
        {
            Data = TrainingFixture.DataFile("diabetes.csv"), Label = "progression", Task = TrainingTask.Regression, Trials = 4, Parallelism = 2,
            Validation = new ValidationSpec { Kind = ValidationKind.KFold, Folds = 3 },
        });
        Assert.True(result.Metrics["rmse"] < 70, $"rmse {result.Metrics["rmse"]}");
        Assert.Contains("cv_rmse_mean", result.Metrics.Keys);
        Assert.True(result.Metrics["cv_rmse_std"] > 0);
        Assert.Contains("r2", result.Metrics.Keys);
        Assert.Contains("residual_p95", result.Metrics.Keys);
        var parent = await fx.Tracking.GetRunAsync(result.ParentRunId);
        Assert.True(File.Exists(fx.ArtifactPath(parent, "plots/residuals.svg")));
        Assert.Contains(parent.Data.Params, p => p.Key == "validation" && p.Value == "kfold:3");
    }

    [Fact]
    public async Task Time_ordered_split_holds_out_the_latest_rows()
    {
        using var fx = new TrainingFixture();
        // A synthetic time column: row order. The latest 25% are held out, so the validation set has exactly those rows.
        var lines = File.ReadAllLines(TrainingFixture.DataFile("diabetes.csv"));
        var path = Path.Combine(fx.Root, "timed.csv");
        File.WriteAllLines(path, [lines[0] + ",t", .. lines.Skip(1).Select((l, i) => $"{l},{i}")]);
        var result = await fx.Runner().RunAsync(new TrainingSpec
        {
            Data = path, Label = "progression", Task = TrainingTask.Regression, Trials = 2, Trainers = ["sdca"],
            Validation = new ValidationSpec { Kind = ValidationKind.TimeOrdered, TimeColumn = "t", Fraction = 0.25 },
        });
        var parent = await fx.Tracking.GetRunAsync(result.ParentRunId);
        Assert.DoesNotContain("t", result.FeatureImportance.Keys);
        var card = File.ReadAllText(fx.ArtifactPath(parent, "model_card.md"));
        Assert.Contains("331 training rows, 111 held-out rows", card, StringComparison.Ordinal);
    }
}
