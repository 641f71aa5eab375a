using Keel.Compute.Metrics;
using Keel.ML.Training;
using Xunit;

namespace Keel.Training.Tests;

public sealed class FairnessTests
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

    [Fact]
    public void Limits_flag_each_breach()
    {
        var report = new FairnessReport("g", [], new Dictionary<string, double>
        {
            ["demographic_parity_difference"] = 0.3,
            ["equal_opportunity_difference"] = 0.05,
            ["equalized_odds_difference"] = 0.3,
            ["worst_group_auc"] = 0.7,
            ["worst_group_error"] = 0.1,
        });
        var violations = FairnessCheck.Violations([report], new FairnessLimits
        {
            MaxDemographicParityDifference = 0.1, MaxEqualOpportunityDifference = 0.1, MinWorstGroupAuc = 0.8,
        });
        Assert.Equal(2, violations.Count);
        Assert.Contains(violations, v => v.Contains("demographic_parity_difference", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("worst_group_auc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_breached_limit_marks_the_parent_run()
    {
        using var fx = new TrainingFixture();
        var result = await fx.Runner().RunAsync(new TrainingSpec
        {
            Data = TrainingFixture.DataFile("diabetes.csv"), Label = "progression", Task = TrainingTask.Regression, Trials = 1, Trainers = ["sdca"],
            Sensitive = ["sex"],
        });
        Assert.True(result.FairnessPassed);

        // Binary on breast cancer with a made-up sensitive column and an impossible limit.
        var lines = File.ReadAllLines(TrainingFixture.DataFile("breast_cancer.csv"));
        var path = Path.Combine(fx.Root, "bc_group.csv");
        File.WriteAllLines(path, [lines[0] + ",site", .. lines.Skip(1).Select((l, i) => $"{l},{(i % 3 == 0 ? "north" : "south")}")]);
        var failed = await fx.Runner().RunAsync(new TrainingSpec
        {
            Data = path, Label = "diagnosis", Task = TrainingTask.Binary, Trials = 1, Trainers = ["lbfgs"], Sensitive = ["site"],
            FairnessLimits = new FairnessLimits { MaxDemographicParityDifference = 0.0 },
        });
        Assert.False(failed.FairnessPassed);
        var parent = await fx.Tracking.GetRunAsync(failed.ParentRunId);
        Assert.Contains(parent.Data.Tags, t => t.Key == "keel.fairness.check" && t.Value == "failed");
        Assert.Contains(parent.Data.Metrics, m => m.Key == "fairness_check_passed" && m.Value == 0);
        Assert.Contains(parent.Data.Metrics, m => m.Key == "fairness_site_demographic_parity_difference");
        Assert.True(File.Exists(fx.ArtifactPath(parent, "fairness/fairness.json")));
    }
}
