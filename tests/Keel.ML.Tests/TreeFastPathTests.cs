using Keel.ML.Data;
using Microsoft.ML;
using Xunit;

namespace Keel.ML.Tests;

/// <summary>The direct tree evaluator must score exactly as ML.NET does, including edge values.</summary>
public sealed class TreeFastPathTests
{
    [Fact]
    public void Fast_tree_regressor_scores_like_mlnet_on_random_and_threshold_rows()
    {
        using var dir = new TempDir();
        var ml = new MLContext(seed: 11);
        var rnd = new Random(3);
        var rows = Enumerable.Range(0, 2000).Select(_ =>
        {
            var x = (float)rnd.NextDouble();
            var y = (float)rnd.NextDouble();
            var z = (float)rnd.NextDouble();
            return new Row { X = x, Y = y, Z = z, Target = (3 * x) - (y * z) + MathF.Sin(5 * z) };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var fitted = ml.Transforms.Concatenate("Features", "X", "Y", "Z")
            .Append(ml.Regression.Trainers.FastTree(labelColumnName: "Target", numberOfTrees: 100, numberOfLeaves: 16)).Fit(data);
        ModelPackage.SaveMlNet(fitted, data.Schema, dir.Path, new MlNetSaveOptions { Task = "regression", LabelColumn = "Target", InputColumns = ["X", "Y", "Z"] });

        using var model = ModelLoader.Load(dir.Path);
        Assert.True(((Keel.ML.MlNet.MlNetModel)model).UsesTreeFastPath);
        var probe = rows.Take(500).Select(r => new Row { X = r.X, Y = r.Y, Z = r.Z }).Append(new Row { X = 0, Y = 1, Z = float.NaN }).ToList();
        var expected = ml.Data.CreateEnumerable<Scored>(fitted.Transform(ml.Data.LoadFromEnumerable(probe)), reuseRowObject: false).Select(s => s.Score).ToArray();
        var batch = new ColumnBatch(
            BatchColumn.Of("X", probe.Select(p => p.X).ToArray()),
            BatchColumn.Of("Y", probe.Select(p => p.Y).ToArray()),
            BatchColumn.Of("Z", probe.Select(p => p.Z).ToArray()));
        var actual = (float[])model.Predict(batch).Prediction!.Column.Data;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 4);
        }

        // One row at a time, as online serving calls it.
        var single = new ColumnBatch(BatchColumn.Of("X", new[] { probe[7].X }), BatchColumn.Of("Y", new[] { probe[7].Y }), BatchColumn.Of("Z", new[] { probe[7].Z }));
        Assert.Equal(expected[7], ((float[])model.Predict(single).Prediction!.Column.Data)[0], 4);
        var missing = Assert.Throws<Keel.Core.Errors.KeelException>(() => model.Predict(new ColumnBatch(BatchColumn.Of("X", new[] { 1f }))));
        Assert.Contains("'Y'", missing.Message, StringComparison.Ordinal);
    }

    private sealed class Row
    {
        public float X { get; set; }

        public float Y { get; set; }

        public float Z { get; set; }

        public float Target { get; set; }
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }
}
