using Keel.Compute.Metrics;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class GroupFairnessTests
{
    [Fact]
    public void Gaps_match_hand_computed_values()
    {
        // Group a: labels 1,1,0,0 predicted 1,0,0,0 -> selection 1/4, TPR 1/2, FPR 0, accuracy 3/4.
        // Group b: labels 1,1,0,0 predicted 1,1,1,0 -> selection 3/4, TPR 1,   FPR 1/2, accuracy 3/4.
        string[] groups = ["a", "a", "a", "a", "b", "b", "b", "b"];
        bool[] labels = [true, true, false, false, true, true, false, false];
        double[] probabilities = [0.9, 0.4, 0.3, 0.1, 0.8, 0.7, 0.6, 0.2];
        var predicted = probabilities.Select(p => p >= 0.5).ToArray();
        var report = GroupFairness.Binary("g", groups, labels, predicted, probabilities);

        Assert.Equal(0.5, report.Gaps["demographic_parity_difference"], 12);
        Assert.Equal(0.5, report.Gaps["equal_opportunity_difference"], 12);
        Assert.Equal(0.5, report.Gaps["equalized_odds_difference"], 12);
        Assert.Equal(0.25, report.Gaps["worst_group_error"], 12);
        Assert.Equal(1.0, report.Gaps["worst_group_auc"], 12);
        var a = report.Groups.Single(x => x.Group == "a").Metrics;
        Assert.Equal(4, a["count"]);
        Assert.Equal(0.25, a["selection_rate"], 12);
        Assert.Equal(0.5, a["tpr"], 12);
        Assert.Equal(0.0, a["fpr"], 12);
    }
}
