namespace Keel.Compute.Metrics;

/// <summary>
/// Group fairness metrics in the sense of Fairlearn's definitions: demographic parity difference is
/// the spread of selection rates (share predicted positive) across groups; equal opportunity
/// difference the spread of true-positive rates; equalized odds difference the larger of the TPR
/// and FPR spreads. A rate undefined in a group (no positives, say) is left out of its spread.
/// </summary>
public static class GroupFairness
{
    /// <summary>Binary classification: labels, predicted labels and positive-class probabilities per row.</summary>
    public static FairnessReport Binary(string column, ReadOnlySpan<string> groups, ReadOnlySpan<bool> labels, ReadOnlySpan<bool> predicted, ReadOnlySpan<double> probabilities)
    {
        var report = new List<GroupMetrics>();
        foreach (var (group, rows) in Partition(groups))
        {
            var l = new bool[rows.Count];
            var p = new bool[rows.Count];
            var s = new double[rows.Count];
            for (var k = 0; k < rows.Count; k++)
            {
                l[k] = labels[rows[k]];
                p[k] = predicted[rows[k]];
                s[k] = probabilities[rows[k]];
            }

            double tp = 0, fp = 0, pos = 0, neg = 0, selected = 0, correct = 0;
            for (var i = 0; i < l.Length; i++)
            {
                selected += p[i] ? 1 : 0;
                correct += p[i] == l[i] ? 1 : 0;
                if (l[i]) { pos++; tp += p[i] ? 1 : 0; } else { neg++; fp += p[i] ? 1 : 0; }
            }

            report.Add(new GroupMetrics(group, new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["count"] = l.Length,
                ["selection_rate"] = selected / l.Length,
                ["tpr"] = pos == 0 ? double.NaN : tp / pos,
                ["fpr"] = neg == 0 ? double.NaN : fp / neg,
                ["accuracy"] = correct / l.Length,
                ["auc"] = pos == 0 || neg == 0 ? double.NaN : BinaryMetrics.Auc(l, s),
            }));
        }

        var tprGap = Spread(report, "tpr");
        var fprGap = Spread(report, "fpr");
        return new FairnessReport(column, report, new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["demographic_parity_difference"] = Spread(report, "selection_rate"),
            ["equal_opportunity_difference"] = tprGap,
            ["equalized_odds_difference"] = Math.Max(tprGap, fprGap),
            ["worst_group_auc"] = Min(report, "auc"),
            ["worst_group_error"] = 1 - Min(report, "accuracy"),
        });
    }

    /// <summary>Multiclass: per-group accuracy and its spread.</summary>
    public static FairnessReport Multiclass(string column, ReadOnlySpan<string> groups, ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted)
    {
        var report = new List<GroupMetrics>();
        foreach (var (group, rows) in Partition(groups))
        {
            double correct = 0;
            foreach (var i in rows)
            {
                correct += labels[i] == predicted[i] ? 1 : 0;
            }

            report.Add(new GroupMetrics(group, new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["count"] = rows.Count,
                ["accuracy"] = correct / rows.Count,
            }));
        }

        return new FairnessReport(column, report, new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["accuracy_difference"] = Spread(report, "accuracy"),
            ["worst_group_error"] = 1 - Min(report, "accuracy"),
        });
    }

    /// <summary>Regression: per-group MAE, RMSE and mean prediction, and the MAE spread.</summary>
    public static FairnessReport Regression(string column, ReadOnlySpan<string> groups, ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        var report = new List<GroupMetrics>();
        foreach (var (group, rows) in Partition(groups))
        {
            double abs = 0, sq = 0, mean = 0;
            foreach (var i in rows)
            {
                var r = actual[i] - predicted[i];
                abs += Math.Abs(r);
                sq += r * r;
                mean += predicted[i];
            }

            report.Add(new GroupMetrics(group, new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["count"] = rows.Count,
                ["mae"] = abs / rows.Count,
                ["rmse"] = Math.Sqrt(sq / rows.Count),
                ["mean_prediction"] = mean / rows.Count,
            }));
        }

        return new FairnessReport(column, report, new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["mae_difference"] = Spread(report, "mae"),
            ["worst_group_mae"] = Max(report, "mae"),
        });
    }

    private static List<(string Group, List<int> Rows)> Partition(ReadOnlySpan<string> groups)
    {
        var map = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Length; i++)
        {
            if (!map.TryGetValue(groups[i], out var rows))
            {
                map[groups[i]] = rows = [];
            }

            rows.Add(i);
        }

        return [.. map.Select(kv => (kv.Key, kv.Value))];
    }

    private static IEnumerable<double> Defined(List<GroupMetrics> groups, string key) =>
        groups.Select(g => g.Metrics[key]).Where(v => !double.IsNaN(v));

    private static double Spread(List<GroupMetrics> groups, string key)
    {
        var values = Defined(groups, key).ToList();
        return values.Count == 0 ? double.NaN : values.Max() - values.Min();
    }

    private static double Min(List<GroupMetrics> groups, string key)
    {
        var values = Defined(groups, key).ToList();
        return values.Count == 0 ? double.NaN : values.Min();
    }

    private static double Max(List<GroupMetrics> groups, string key)
    {
        var values = Defined(groups, key).ToList();
        return values.Count == 0 ? double.NaN : values.Max();
    }
}
