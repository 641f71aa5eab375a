namespace Keel.Compute.Metrics;

/// <summary>
/// Binary classification metrics from labels and positive-class probabilities. Pure: arrays in,
/// values out. Ties in scores are handled as one step of the curves, so AUC matches the
/// Mann-Whitney statistic and does not depend on the order of tied rows.
/// </summary>
public static class BinaryMetrics
{
    private const double Epsilon = 1e-15;

    /// <summary>AUC, PR-AUC (average precision), accuracy, F1, precision, recall, log-loss, Brier score and expected calibration error.</summary>
    public static Dictionary<string, double> Compute(ReadOnlySpan<bool> labels, ReadOnlySpan<double> probabilities, double threshold = 0.5)
    {
        Check(labels.Length, probabilities.Length);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        double logLoss = 0, brier = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], Epsilon, 1 - Epsilon);
            var predicted = probabilities[i] >= threshold;
            if (labels[i])
            {
                if (predicted) { tp++; } else { fn++; }
                logLoss -= Math.Log(p);
                brier += (1 - probabilities[i]) * (1 - probabilities[i]);
            }
            else
            {
                if (predicted) { fp++; } else { tn++; }
                logLoss -= Math.Log(1 - p);
                brier += probabilities[i] * probabilities[i];
            }
        }

        var n = Math.Max(1, labels.Length);
        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["auc"] = Auc(labels, probabilities),
            ["pr_auc"] = AveragePrecision(labels, probabilities),
            ["accuracy"] = (double)(tp + tn) / n,
            ["f1"] = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            ["precision"] = precision,
            ["recall"] = recall,
            ["log_loss"] = logLoss / n,
            ["brier_score"] = brier / n,
            ["expected_calibration_error"] = ExpectedCalibrationError(labels, probabilities, 10),
        };
    }

    /// <summary>Area under the ROC curve; 0.5 when one class is absent.</summary>
    public static double Auc(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        var (fpr, tpr) = Roc(labels, scores);
        var area = 0.0;
        for (var i = 1; i < fpr.Length; i++)
        {
            area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        }

        return area;
    }

    /// <summary>ROC points from (0,0) to (1,1), one per distinct score.</summary>
    public static (double[] Fpr, double[] Tpr) Roc(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        Check(labels.Length, scores.Length);
        var order = Descending(scores);
        long positives = 0;
        foreach (var l in labels)
        {
            if (l) { positives++; }
        }

        var negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return ([0, 1], [0, 1]);
        }

        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        long tp = 0, fp = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (labels[order[i]]) { tp++; } else { fp++; }
            if (i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]])
            {
                fpr.Add((double)fp / negatives);
                tpr.Add((double)tp / positives);
            }
        }

        return ([.. fpr], [.. tpr]);
    }

    /// <summary>Precision-recall points (recall ascending), one per distinct score threshold.</summary>
    public static (double[] Recall, double[] Precision) PrecisionRecall(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        Check(labels.Length, scores.Length);
        var order = Descending(scores);
        long positives = 0;
        foreach (var l in labels)
        {
            if (l) { positives++; }
        }

        var recall = new List<double> { 0 };
        var precision = new List<double> { 1 };
        if (positives == 0)
        {
            return ([.. recall], [.. precision]);
        }

        long tp = 0, fp = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (labels[order[i]]) { tp++; } else { fp++; }
            if (i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]])
            {
                recall.Add((double)tp / positives);
                precision.Add((double)tp / (tp + fp));
            }
        }

        return ([.. recall], [.. precision]);
    }

    /// <summary>Average precision: the sum of precision at each threshold weighted by the recall gained there.</summary>
    public static double AveragePrecision(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        var (recall, precision) = PrecisionRecall(labels, scores);
        var ap = 0.0;
        for (var i = 1; i < recall.Length; i++)
        {
            ap += (recall[i] - recall[i - 1]) * precision[i];
        }

        return ap;
    }

    /// <summary>Reliability bins over [0,1]: mean predicted probability, observed positive rate and count per bin.</summary>
    public static (double MeanPredicted, double FractionPositive, int Count)[] CalibrationBins(ReadOnlySpan<bool> labels, ReadOnlySpan<double> probabilities, int bins)
    {
        Check(labels.Length, probabilities.Length);
        var sumP = new double[bins];
        var pos = new double[bins];
        var count = new int[bins];
        for (var i = 0; i < labels.Length; i++)
        {
            var b = Math.Clamp((int)(probabilities[i] * bins), 0, bins - 1);
            sumP[b] += probabilities[i];
            pos[b] += labels[i] ? 1 : 0;
            count[b]++;
        }

        var result = new (double, double, int)[bins];
        for (var b = 0; b < bins; b++)
        {
            result[b] = count[b] == 0 ? (double.NaN, double.NaN, 0) : (sumP[b] / count[b], pos[b] / count[b], count[b]);
        }

        return result;
    }

    /// <summary>Count-weighted mean gap between predicted probability and observed rate over equal-width bins.</summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<bool> labels, ReadOnlySpan<double> probabilities, int bins)
    {
        var ece = 0.0;
        foreach (var (meanPredicted, fractionPositive, count) in CalibrationBins(labels, probabilities, bins))
        {
            if (count > 0)
            {
                ece += count * Math.Abs(meanPredicted - fractionPositive);
            }
        }

        return labels.Length == 0 ? 0 : ece / labels.Length;
    }

    private static int[] Descending(ReadOnlySpan<double> scores)
    {
        // Key/item sort on negated scores: several times faster than a comparison delegate on
        // large validation sets. Order within tied scores is irrelevant: the curves emit one
        // point per distinct score, after the whole tie group.
        var keys = new double[scores.Length];
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            keys[i] = -scores[i];
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }

    private static void Check(int labels, int scores)
    {
        if (labels != scores)
        {
            throw new ArgumentException($"Got {labels} labels but {scores} scores.");
        }
    }
}
