namespace Keel.Compute.Gates;

/// <summary>
/// Paired bootstrap of a metric difference: B times, draw n row indices with replacement (the same
/// rows for both models, which is what pairs them), and compute metric(challenger) −
/// metric(champion) on them. Reports the mean difference, the percentile interval and a one-sided
/// p-value, the share of resamples where the challenger is not better in the metric's direction.
/// One index buffer is reused across resamples, so the cost per resample is the two metric calls.
/// A difference within <see cref="Tolerance"/> (relative) of the boundary counts as not better, so
/// equal metrics reached by different rounding never count for the challenger.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>Relative rounding slack: a difference this close to the boundary counts as on it (not better).</summary>
    public const double Tolerance = 1e-12;

    /// <summary>Bootstraps the difference of two models' metric over the same rows.</summary>
    /// <param name="rowCount">Rows in the evaluation set (n &gt; 0).</param>
    /// <param name="champion">The champion's metric over row indices.</param>
    /// <param name="challenger">The challenger's metric over the same row indices.</param>
    /// <param name="direction">Which way the metric improves.</param>
    /// <param name="options">Resamples, seed, confidence and margin; <see cref="BootstrapOptions.Default"/> when null.</param>
    public static BootstrapResult Compare(int rowCount, RowMetric champion, RowMetric challenger, MetricDirection direction, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(champion);
        ArgumentNullException.ThrowIfNull(challenger);
        options ??= BootstrapOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Resamples);
        if (!(options.Confidence > 0 && options.Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Confidence must be between 0 and 1.");
        }

        if (!(options.Margin >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Margin must be 0 or more.");
        }

        var sign = direction == MetricDirection.HigherIsBetter ? 1.0 : -1.0;
        var rows = new int[rowCount];
        for (var i = 0; i < rowCount; i++)
        {
            rows[i] = i;
        }

        var observed = challenger(rows) - champion(rows);
        var diffs = new double[options.Resamples];
        var valid = 0;
        var notBetter = 0;
        var rng = new SplitMix64(options.Seed);
        for (var r = 0; r < options.Resamples; r++)
        {
            for (var i = 0; i < rowCount; i++)
            {
                rows[i] = rng.NextIndex(rowCount);
            }

            var champ = champion(rows);
            var chall = challenger(rows);
            var d = chall - champ;
            if (double.IsNaN(d))
            {
                notBetter++;
                continue;
            }

            // improvement = sign·d; "not better" is improvement ≤ −margin (≤ 0 for superiority).
            // Two routes to the same value can differ in the last bit (a trapezoid AUC and a rank
            // AUC, say), so a difference within rounding of the boundary counts as on it.
            var tolerance = Tolerance * Math.Max(1, Math.Max(Math.Abs(champ), Math.Abs(chall)));
            if (sign * d <= -options.Margin + tolerance)
            {
                notBetter++;
            }

            diffs[valid++] = d;
        }

        var mean = double.NaN;
        double lower = double.NaN, upper = double.NaN;
        if (valid > 0)
        {
            var sorted = diffs.AsSpan(0, valid);
            var sum = 0.0;
            foreach (var d in sorted)
            {
                sum += d;
            }

            mean = sum / valid;
            sorted.Sort();
            var tail = (1 - options.Confidence) / 2;
            lower = Metrics.RegressionMetrics.Percentile(sorted, tail);
            upper = Metrics.RegressionMetrics.Percentile(sorted, 1 - tail);
        }

        return new BootstrapResult(observed, mean, lower, upper, (double)notBetter / options.Resamples, options.Resamples, options.Resamples - valid, options.Confidence, options.Margin, options.Seed);
    }
}
