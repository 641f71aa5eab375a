using Keel.Application.Monitoring;
using Xunit;

namespace Keel.Application.Tests.Monitoring;

/// <summary>
/// Quality from mergeable counts equals scikit-learn's metrics on the same rows (reference values
/// from Debian's python3-sklearn 1.2: accuracy_score, precision/recall/f1_score, roc_auc_score,
/// log_loss, mean_squared_error, mean_absolute_error, r2_score), whether the rows are counted in
/// one sketch or split over buckets and merged.
/// </summary>
public sealed class QualitySketchTests
{
    private static readonly string[] Binary = ["a", "b"];

    [Fact]
    public void Binary_metrics_match_scikit_learn_after_merging_buckets()
    {
        string[] actual = ["a", "b", "b", "a", "b", "a", "b", "b", "a", "a"];
        string[] predicted = ["a", "b", "a", "a", "b", "b", "b", "b", "a", "b"];
        double[] positive = [0.1, 0.9, 0.45, 0.2, 0.8, 0.7, 0.65, 0.99, 0.3, 0.55];
        var first = new QualitySketch { Task = "binary" };
        var second = new QualitySketch { Task = "binary" };
        for (var i = 0; i < actual.Length; i++)
        {
            (i < 4 ? first : second).AddClassification(actual[i], predicted[i], [1 - positive[i], positive[i]], Binary);
        }

        first.Merge(second);
        var m = first.Metrics(Binary);
        Assert.Equal(0.7, m["accuracy"], 12);
        Assert.Equal(0.6666666666666666, m["precision"], 12);
        Assert.Equal(0.8, m["recall"], 12);
        Assert.Equal(0.7272727272727272, m["f1"], 12);
        Assert.Equal(0.88, m["auc"], 12);
        Assert.Equal(0.425550452659024, m["log_loss"], 12);
        Assert.Equal(10, first.Labeled);
    }

    [Fact]
    public void Multiclass_precision_recall_and_f1_are_macro_averages()
    {
        string[] actual = ["x", "y", "z", "x", "y", "z", "x"];
        string[] predicted = ["x", "y", "y", "x", "z", "z", "y"];
        var sketch = new QualitySketch { Task = "multiclass" };
        for (var i = 0; i < actual.Length; i++)
        {
            sketch.AddClassification(actual[i], predicted[i], null, []);
        }

        var m = sketch.Metrics([]);
        Assert.Equal(0.611111111111111, m["precision"], 12);
        Assert.Equal(0.5555555555555555, m["recall"], 12);
        Assert.Equal(0.5666666666666668, m["f1"], 12);
        Assert.False(m.ContainsKey("auc"));
    }

    [Fact]
    public void Regression_metrics_match_scikit_learn()
    {
        double[] actual = [3.0, -0.5, 2.0, 7.0, 4.2];
        double[] predicted = [2.5, 0.0, 2.0, 8.0, 3.9];
        var sketch = new QualitySketch { Task = "regression" };
        for (var i = 0; i < actual.Length; i++)
        {
            sketch.AddRegression(actual[i], predicted[i]);
        }

        var m = sketch.Metrics([]);
        Assert.Equal(0.5639148871948674, m["rmse"], 12);
        Assert.Equal(0.46, m["mae"], 12);
        Assert.Equal(0.9480256276150627, m["r2"], 12);
    }

    [Fact]
    public void Feature_sketches_bin_like_the_profile_and_merge_only_on_equal_bins()
    {
        var sketch = FeatureSketch.NewNumeric([0, 1, 2, 3]);
        foreach (var v in new[] { 0.0, 0.5, 1.0, 1.5, 3.0, -1, 4, double.NaN })
        {
            sketch.AddNumber(v);
        }

        // (e0, e1] with e0 itself in the first bin; outside the edges counted apart; NaN missing.
        Assert.Equal([3L, 1L, 1L], sketch.Counts!);
        Assert.Equal((1L, 1L, 1L, 7L), (sketch.Under, sketch.Over, sketch.Missing, sketch.Count));
        Assert.False(sketch.Merge(FeatureSketch.NewNumeric([0, 1, 2, 4])));
        Assert.True(sketch.Merge(sketch.EmptyLike()));
        Assert.Equal(Math.Sqrt((sketch.SumSquares / 7) - Math.Pow(sketch.Sum / 7, 2)), sketch.Std()!.Value, 12);
    }
}
