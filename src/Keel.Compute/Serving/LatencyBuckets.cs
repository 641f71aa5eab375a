namespace Keel.Compute.Serving;

/// <summary>
/// Fixed log-spaced latency buckets (microseconds, about 19% apart, 1 µs to about 2 minutes) so a
/// request's latency is recorded with one Interlocked increment and percentiles are read from the
/// counts with a bounded relative error.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>Number of buckets.</summary>
    public const int Count = 112;

    private const double Growth = 1.1892071150027210667; // 2^(1/4)

    private static readonly double[] Upper = BuildUpper();

    /// <summary>The bucket of a latency in microseconds.</summary>
    public static int IndexOf(double micros)
    {
        if (micros <= 1)
        {
            return 0;
        }

        var i = (int)Math.Ceiling(Math.Log(micros) / Math.Log(Growth));
        return Math.Min(i, Count - 1);
    }

    /// <summary>The <paramref name="quantile"/> (0..1) of the counted latencies, in microseconds; 0 when empty.</summary>
    public static double Quantile(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= Math.Max(rank, 1))
            {
                return Upper[i];
            }
        }

        return Upper[^1];
    }

    private static double[] BuildUpper()
    {
        var upper = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            upper[i] = Math.Pow(Growth, i);
        }

        return upper;
    }
}
