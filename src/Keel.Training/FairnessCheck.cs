using System.Globalization;
using Keel.Compute.Metrics;

namespace Keel.Training;

/// <summary>Computes per-group reports for each sensitive column and checks them against the spec's limits.</summary>
internal static class FairnessCheck
{
    public static List<FairnessReport> Reports(EvalSet set, IReadOnlyList<string> sensitive)
    {
        var reports = new List<FairnessReport>();
        foreach (var column in sensitive)
        {
            var groups = set.Groups[column];
            reports.Add(set.Task switch
            {
                TrainingTask.Binary => GroupFairness.Binary(column, groups, set.BinaryLabels, [.. set.Probabilities.Select(p => p >= 0.5)], set.Probabilities),
                TrainingTask.Multiclass => GroupFairness.Multiclass(column, groups, set.ClassLabels, MulticlassMetrics.Predict(set.Probabilities, set.Classes)),
                _ => GroupFairness.Regression(column, groups, set.Actual, set.Predicted),
            });
        }

        return reports;
    }

    public static List<string> Violations(IReadOnlyList<FairnessReport> reports, FairnessLimits limits)
    {
        var violations = new List<string>();
        foreach (var report in reports)
        {
            void Max(string gap, double? limit)
            {
                if (limit is { } l && report.Gaps.TryGetValue(gap, out var v) && !double.IsNaN(v) && v > l)
                {
                    violations.Add(string.Create(CultureInfo.InvariantCulture, $"{report.Column}: {gap} = {v:F4} exceeds {l}"));
                }
            }

            Max("demographic_parity_difference", limits.MaxDemographicParityDifference);
            Max("equal_opportunity_difference", limits.MaxEqualOpportunityDifference);
            Max("equalized_odds_difference", limits.MaxEqualizedOddsDifference);
            Max("worst_group_error", limits.MaxWorstGroupError);
            if (limits.MinWorstGroupAuc is { } minAuc && report.Gaps.TryGetValue("worst_group_auc", out var auc) && !double.IsNaN(auc) && auc < minAuc)
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"{report.Column}: worst_group_auc = {auc:F4} is below {minAuc}"));
            }
        }

        return violations;
    }
}
