namespace Keel.Compute.Metrics;

/// <summary>Regression metrics and a residual summary (residual = actual - predicted).</summary>
public static class RegressionMetrics
{
    /// <summary>rmse, mae, r2 and residual mean, standard deviation, 5/50/95th percentiles and largest absolute residual.</summary>
    public static Dictionary<string, double> Compute(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"Got {actual.Length} labels but {predicted.Length} predictions.");
        }

        var n = actual.Length;
        if (n == 0)
        {
            return new Dictionary<string, double>(StringComparer.Ordinal);
        }

        double mean = 0;
        foreach (var a in actual)
        {
            mean += a;
        }

        mean /= n;
        double sse = 0, sae = 0, sst = 0, sumResidual = 0, maxAbs = 0;
        var residuals = new double[n];
        for (var i = 0; i < n; i++)
        {
            var r = actual[i] - predicted[i];
            residuals[i] = r;
            sse += r * r;
            sae += Math.Abs(r);
            sst += (actual[i] - mean) * (actual[i] - mean);
            sumResidual += r;
            maxAbs = Math.Max(maxAbs, Math.Abs(r));
        }

        var residualMean = sumResidual / n;
        double variance = 0;
        foreach (var r in residuals)
        {
            variance += (r - residualMean) * (r - residualMean);
        }

        Array.Sort(residuals);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rmse"] = Math.Sqrt(sse / n),
            ["mae"] = sae / n,
            ["r2"] = sst == 0 ? 0 : 1 - (sse / sst),
            ["residual_mean"] = residualMean,
            ["residual_std"] = Math.Sqrt(variance / n),
            ["residual_p05"] = Percentile(residuals, 0.05),
            ["residual_p50"] = Percentile(residuals, 0.50),
            ["residual_p95"] = Percentile(residuals, 0.95),
            ["residual_max_abs"] = maxAbs,
        };
    }

    /// <summary>Linear-interpolated percentile of sorted values.</summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
    }
}
