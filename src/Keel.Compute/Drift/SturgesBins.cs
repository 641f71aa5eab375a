namespace Keel.Compute.Drift;

/// <summary>
/// numpy's histogram_bin_edges(a, bins='sturges') from a's size, minimum and maximum: width =
/// ptp / (log2(n) + 1), bins = ceil(range / width), a constant
/// array widened to ±0.5, edges by linspace (i·step + first, the last edge exactly the maximum).
/// The same floating-point steps are taken so the edges, and so the counts, are numpy's. (numpy
/// 2.x also floors the width at 1 for integer arrays; numpy 1.24, the reference here, does not.)
/// </summary>
internal static class SturgesBins
{
    public static double[] Edges(long size, double min, double max)
    {
        var first = min;
        var last = max;
        if (first == last)
        {
            first -= 0.5;
            last += 0.5;
        }

        var bins = 1;
        if (size > 0)
        {
            var width = (max - min) / (Math.Log2(size) + 1.0);
            if (width != 0)
            {
                bins = (int)Math.Ceiling((last - first) / width);
            }
        }

        return Linspace(first, last, bins);
    }

    public static double[] Linspace(double first, double last, int bins)
    {
        var edges = new double[bins + 1];
        var step = (last - first) / bins;
        for (var i = 0; i < bins; i++)
        {
            edges[i] = step == 0 ? i / (double)bins * (last - first) + first : i * step + first;
        }

        edges[bins] = last;
        return edges;
    }

    /// <summary>Counts of sorted values per bin, numpy's rule: [e_i, e_i+1), the last bin closed.</summary>
    public static long[] Count(ReadOnlySpan<double> sorted, ReadOnlySpan<double> edges)
    {
        var bins = edges.Length - 1;
        var counts = new long[bins];
        var previous = LowerBound(sorted, edges[0]);
        for (var i = 0; i < bins; i++)
        {
            var next = i == bins - 1 ? UpperBound(sorted, edges[bins]) : LowerBound(sorted, edges[i + 1]);
            counts[i] = next - previous;
            previous = next;
        }

        return counts;
    }

    public static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public static int UpperBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
