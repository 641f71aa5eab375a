namespace Keel.Compute.Gates;

/// <summary>
/// Ready-made <see cref="RowMetric"/>s for <see cref="PairedBootstrap"/>. Each factory does its
/// per-row work once (residuals, losses, a score order) so that a call per resample is a pass over
/// the drawn rows with no allocation. On all rows each equals the value of the matching metric in
/// <see cref="Metrics.BinaryMetrics"/>, <see cref="Metrics.MulticlassMetrics"/> or
/// <see cref="Metrics.RegressionMetrics"/>.
/// </summary>
public static class BootstrapMetrics
{
    private const double Epsilon = 1e-15;

    /// <summary>Root mean squared error over the drawn rows.</summary>
    public static RowMetric Rmse(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        var squares = PerRow(actual, predicted, static (a, p) => (a - p) * (a - p));
        return rows => Math.Sqrt(Mean(squares, rows));
    }

    /// <summary>Mean absolute error over the drawn rows.</summary>
    public static RowMetric Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        var errors = PerRow(actual, predicted, static (a, p) => Math.Abs(a - p));
        return rows => Mean(errors, rows);
    }

    /// <summary>Share of drawn rows the model got right, from per-row correctness.</summary>
    public static RowMetric Accuracy(ReadOnlySpan<bool> correct)
    {
        var values = new double[correct.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = correct[i] ? 1 : 0;
        }

        return rows => Mean(values, rows);
    }

    /// <summary>Binary log-loss (natural log, probabilities clipped to [1e-15, 1 − 1e-15]) over the drawn rows.</summary>
    public static RowMetric LogLoss(ReadOnlySpan<bool> labels, ReadOnlySpan<double> probabilities)
    {
        Check(labels.Length, probabilities.Length);
        var losses = new double[labels.Length];
        for (var i = 0; i < losses.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], Epsilon, 1 - Epsilon);
            losses[i] = -Math.Log(labels[i] ? p : 1 - p);
        }

        return rows => Mean(losses, rows);
    }

    /// <summary>Multiclass log-loss (the true class's probability clipped below at 1e-15) over the drawn rows.</summary>
    /// <param name="labels">Class index per row.</param>
    /// <param name="probabilities">Row-major probabilities, rows × classes.</param>
    /// <param name="classes">Number of classes.</param>
    public static RowMetric LogLoss(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, int classes)
    {
        Check(labels.Length * classes, probabilities.Length);
        var losses = new double[labels.Length];
        for (var i = 0; i < losses.Length; i++)
        {
            losses[i] = -Math.Log(Math.Clamp(probabilities[(i * classes) + labels[i]], Epsilon, 1));
        }

        return rows => Mean(losses, rows);
    }

    /// <summary>
    /// ROC AUC over the drawn rows (ties count one half; NaN when the draw holds one class). The rows
    /// are sorted by score once; a call tallies how often each row was drawn and walks that order, so
    /// it is O(n) and allocation-free.
    /// </summary>
    public static RowMetric Auc(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        Check(labels.Length, scores.Length);
        var n = labels.Length;
        var keys = scores.ToArray();
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);

        // groupEnd[k] marks the last position of each run of equal scores in ascending order.
        var groupEnd = new bool[n];
        for (var k = 0; k < n; k++)
        {
            groupEnd[k] = k == n - 1 || keys[k + 1] != keys[k];
        }

        var isPositive = labels.ToArray();
        var counts = new int[n];
        return rows =>
        {
            Array.Clear(counts);
            foreach (var r in rows)
            {
                counts[r]++;
            }

            // Ascending scores: each positive beats the negatives seen in lower groups and ties
            // half of those in its own group.
            double negativesBelow = 0, area = 0, positives = 0, groupPos = 0, groupNeg = 0;
            for (var k = 0; k < n; k++)
            {
                var row = order[k];
                if (isPositive[row]) { groupPos += counts[row]; } else { groupNeg += counts[row]; }
                if (groupEnd[k])
                {
                    area += groupPos * (negativesBelow + (0.5 * groupNeg));
                    negativesBelow += groupNeg;
                    positives += groupPos;
                    groupPos = 0;
                    groupNeg = 0;
                }
            }

            return positives == 0 || negativesBelow == 0 ? double.NaN : area / (positives * negativesBelow);
        };
    }

    private static double[] PerRow(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, Func<double, double, double> f)
    {
        Check(actual.Length, predicted.Length);
        var values = new double[actual.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = f(actual[i], predicted[i]);
        }

        return values;
    }

    private static double Mean(double[] values, ReadOnlySpan<int> rows)
    {
        if (rows.Length == 0)
        {
            return double.NaN;
        }

        var sum = 0.0;
        foreach (var r in rows)
        {
            sum += values[r];
        }

        return sum / rows.Length;
    }

    private static void Check(int expected, int got)
    {
        if (expected != got)
        {
            throw new ArgumentException($"Expected {expected} values, got {got}.");
        }
    }
}
