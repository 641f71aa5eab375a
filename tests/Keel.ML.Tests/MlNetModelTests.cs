using Keel.ML.Data;
using Keel.ML.Manifest;
using Keel.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Keel.ML.Tests;

public sealed class MlNetModelTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    internal sealed class Row
    {
        public float X1 { get; set; }

        public float X2 { get; set; }

        public float Target { get; set; }

        public bool Flag { get; set; }

        public string Kind { get; set; } = string.Empty;
    }

    internal static Row[] Synthetic(int n, int seed = 7)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ =>
        {
            float x1 = (float)(rng.NextDouble() * 4 - 2), x2 = (float)(rng.NextDouble() * 4 - 2);
            return new Row
            {
                X1 = x1,
                X2 = x2,
                Target = (3 * x1) - (2 * x2) + (float)(rng.NextDouble() * 0.1),
                Flag = x1 + x2 > 0,
                Kind = x1 > 0.5 ? "high" : x1 < -0.5 ? "low" : "mid",
            };
        })];
    }

    internal static string TrainRegressor(string dir, int trees = 20)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Synthetic(500));
        var pipeline = ml.Transforms.Concatenate("Features", "X1", "X2")
            .Append(ml.Regression.Trainers.FastTree(labelColumnName: "Target", numberOfTrees: trees, minimumExampleCountPerLeaf: 5));
        var model = pipeline.Fit(data);
        ModelPackage.SaveMlNet(model, data.Schema, dir, new MlNetSaveOptions { Task = "regression", LabelColumn = "Target", InputColumns = ["X1", "X2"] });
        return dir;
    }

    [Fact]
    public void Regression_round_trip_matches_the_in_memory_model()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Synthetic(500));
        var model = ml.Transforms.Concatenate("Features", "X1", "X2")
            .Append(ml.Regression.Trainers.FastTree(labelColumnName: "Target", numberOfTrees: 20, minimumExampleCountPerLeaf: 5)).Fit(data);
        var dir = _dir.File("reg");
        var manifest = ModelPackage.SaveMlNet(model, data.Schema, dir, new MlNetSaveOptions
        {
            Task = "regression",
            LabelColumn = "Target",
            InputColumns = ["X1", "X2"],
            Keel = new KeelModelInfo { Metrics = new Dictionary<string, double> { ["rmse"] = 0.1 } },
        });

        Assert.Equal("5.0.1", manifest.MlNet!.MlNetVersion);
        Assert.True(File.Exists(Path.Combine(dir, "model.zip")));
        var test = Synthetic(50, seed: 99);
        var expected = model.Transform(ml.Data.LoadFromEnumerable(test)).GetColumn<float>("Score").ToArray();

        using var loaded = ModelLoader.Load(dir);
        Assert.Equal(["X1", "X2"], loaded.InputColumns.Select(c => c.Name));
        Assert.Equal(0.1, loaded.Manifest.Keel!.Metrics["rmse"]);
        var result = loaded.Predict(new ColumnBatch(
            BatchColumn.Of("X1", test.Select(r => (double)r.X1).ToArray()),
            BatchColumn.Of("X2", test.Select(r => (double)r.X2).ToArray())));

        Assert.Equal(expected, (float[])result.Prediction!.Column.Data);
    }

    [Fact]
    public void Binary_round_trip_maps_labels_to_original_values()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Synthetic(400));
        var model = ml.Transforms.Concatenate("Features", "X1", "X2")
            .Append(ml.BinaryClassification.Trainers.FastTree(labelColumnName: "Flag", numberOfTrees: 10, minimumExampleCountPerLeaf: 5)).Fit(data);
        var dir = _dir.File("bin");
        ModelPackage.SaveMlNet(model, data.Schema, dir, new MlNetSaveOptions { Task = "binary", LabelColumn = "Flag", LabelValues = ["no", "yes"], InputColumns = ["X1", "X2"] });

        var test = Synthetic(60, seed: 5);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(test));
        var expectedLabels = scored.GetColumn<bool>("PredictedLabel").Select(b => b ? "yes" : "no").ToArray();
        var expectedP = scored.GetColumn<float>("Probability").ToArray();

        using var loaded = ModelLoader.Load(dir);
        var result = loaded.Predict(ScoringJson.ParseRequest(Records(test)));

        Assert.Equal(expectedLabels, (string?[])result.Prediction!.Column.Data);
        var probs = (float[])result.Outputs.Single(o => o.Role == PredictionRole.Probabilities).Column.Data;
        Assert.Equal(expectedP, Enumerable.Range(0, test.Length).Select(i => probs[(i * 2) + 1]));
        Assert.StartsWith("{\"predictions\":[\"" + expectedLabels[0] + "\"", ScoringJson.FormatResponse(result), StringComparison.Ordinal);
        Assert.Contains("\"probabilities\":[", ScoringJson.FormatResponse(result, includeProbabilities: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Multiclass_with_string_labels_round_trips()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Synthetic(600));
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Kind")
            .Append(ml.Transforms.Concatenate("Features", "X1", "X2"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(data);
        var dir = _dir.File("multi");
        var manifest = ModelPackage.SaveMlNet(model, data.Schema, dir, new MlNetSaveOptions { Task = "multiclass", LabelColumn = "Kind", InputColumns = ["X1", "X2"] });

        Assert.Equal(3, manifest.MlNet!.LabelValues.Count);
        var test = Synthetic(80, seed: 11);
        var expected = model.Transform(ml.Data.LoadFromEnumerable(test)).GetColumn<string>("PredictedLabel").ToArray();

        using var loaded = ModelLoader.Load(dir);
        var result = loaded.Predict(ScoringJson.ParseRequest(Records(test)));

        Assert.Equal(expected, (string?[])result.Prediction!.Column.Data);
        Assert.True(expected.Count(e => e == "mid") > 0);
        var table = result.ToTableColumns();
        Assert.Equal(["prediction", .. manifest.MlNet.LabelValues.Select(l => "probability_" + l)], table.Select(c => c.Name));
    }

    [Fact]
    public void Large_batches_scored_in_parallel_match_row_by_row_scores()
    {
        using var loaded = ModelLoader.Load(TrainRegressor(_dir.File("reg")));
        var rng = new Random(3);
        var n = 40_000;
        var x1 = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var x2 = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();

        var all = (float[])loaded.Predict(new ColumnBatch(BatchColumn.Of("X1", x1), BatchColumn.Of("X2", x2))).Prediction!.Column.Data;

        foreach (var i in new[] { 0, 16_383, 16_384, 39_999 })
        {
            var one = loaded.Predict(new ColumnBatch(BatchColumn.Of("X1", [x1[i]]), BatchColumn.Of("X2", [x2[i]])));
            Assert.Equal(((float[])one.Prediction!.Column.Data)[0], all[i]);
        }
    }

    private static string Records(Row[] rows) =>
        "{\"dataframe_records\": [" + string.Join(",", rows.Select(r => FormattableString.Invariant($"{{\"X1\": {r.X1:R}, \"X2\": {r.X2:R}}}"))) + "]}";
}
