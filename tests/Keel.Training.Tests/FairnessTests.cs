using Keel.Compute.Metrics;
using Xunit;

namespace Keel.Training.Tests;

public sealed class FairnessTests
{
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
