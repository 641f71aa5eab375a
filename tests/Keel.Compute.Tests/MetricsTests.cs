using Keel.Compute.Metrics;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void Binary_metrics_match_reference_values()
    {
        bool[] labels = [false, false, true, true];
        double[] scores = [0.1, 0.4, 0.35, 0.8];
        var m = BinaryMetrics.Compute(labels, scores);
        Assert.Equal(0.75, m["auc"], 12); // sklearn roc_auc_score
        Assert.Equal(0.8333333333333333, m["pr_auc"], 12); // sklearn average_precision_score
        Assert.Equal(0.75, m["accuracy"], 12);
        Assert.Equal(0.5, m["recall"], 12);
        Assert.Equal(1.0, m["precision"], 12);
    }

    [Fact]
    public void Regression_metrics_match_reference_values()
    {
        double[] actual = [3, -0.5, 2, 7];
        double[] predicted = [2.5, 0.0, 2, 8];
        var m = RegressionMetrics.Compute(actual, predicted);
        Assert.Equal(0.5, m["mae"], 12);
        Assert.Equal(Math.Sqrt(0.375), m["rmse"], 12);
        Assert.Equal(0.9486081370449679, m["r2"], 12); // sklearn r2_score
    }
}
