using Keel.ML;
using Keel.ML.Data;
using Xunit;

namespace Keel.Training.Tests;

public sealed class ExplanationTests
{
    [Theory]
    [InlineData("lightgbm")]
    [InlineData("fasttree")]
    [InlineData("fastforest")]
    [InlineData("sdca")]
    [InlineData("lbfgs")]
    public async Task Binary_trainers_log_importance_contributions_and_a_model_that_predicts(string trainer)
    {
        using var fx = new TrainingFixture();
        var result = await fx.Runner().RunAsync(new TrainingSpec
        {
            Data = TrainingFixture.DataFile("breast_cancer.csv"), Label = "diagnosis", Task = TrainingTask.Binary, Trials = 3, Trainers = [trainer],
        });
        var parent = await fx.Tracking.GetRunAsync(result.ParentRunId);
        var contributions = File.ReadAllLines(fx.ArtifactPath(parent, "explain/contributions.csv"));
        Assert.StartsWith("row,mean_radius,", contributions[0], StringComparison.Ordinal);
        Assert.Equal(21, contributions.Length);
        Assert.Equal(30, result.FeatureImportance.Count);
        Assert.Contains(result.FeatureImportance.Values, v => v > 0);

        using var model = ModelLoader.Load(fx.ArtifactPath(parent, "model"));
        var rows = File.ReadLines(TrainingFixture.DataFile("breast_cancer.csv")).Skip(1).Take(50).Select(l => l.Split(',')).ToList();
        var columns = model.InputColumns.Select((c, i) => BatchColumn.Of(c.Name!, rows.Select(r => float.Parse(r[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray())).ToList();
        var prediction = model.Predict(new ColumnBatch(columns));
        Assert.Equal(50, prediction.RowCount);
        var labels = (string?[])prediction.Prediction!.Column.Data;
        var agree = labels.Zip(rows, (p, r) => p == r[^1]).Count(x => x);
        Assert.True(agree >= 45, $"{agree}/50 predictions match the label");
    }
}
