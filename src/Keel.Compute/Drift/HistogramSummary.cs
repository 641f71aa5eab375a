namespace Keel.Compute.Drift;

/// <summary>
/// A mergeable summary of a numeric column over a window: counts on fixed bins (normally the
/// reference profile's equal-width histogram) plus values below and above them, and the count,
/// mean and population standard deviation. Two summaries on the same edges merge exactly.
/// </summary>
public sealed record HistogramSummary
{
    /// <summary>How many distinct values are tracked before <see cref="KnownValues"/> gives up.</summary>
    public const int MaxKnownValues = 5;

    /// <summary>Bin edges, ascending, Counts.Count + 1 of them; the last bin is closed.</summary>
    public required IReadOnlyList<double> Edges { get; init; }

    /// <summary>Values per bin.</summary>
    public required IReadOnlyList<long> Counts { get; init; }

    /// <summary>Values below the first edge.</summary>
    public long Underflow { get; init; }

    /// <summary>Values above the last edge.</summary>
    public long Overflow { get; init; }

    /// <summary>Non-missing values in all.</summary>
    public long Count => Underflow + Overflow + Counts.Sum();

    /// <summary>Mean of the values.</summary>
    public double Mean { get; init; }

    /// <summary>Population standard deviation (ddof 0), as Evidently norms Wasserstein by.</summary>
    public double StandardDeviation { get; init; }

    /// <summary>
    /// The distinct values seen, sorted, while there are at most <see cref="MaxKnownValues"/> of
    /// them; null once there are more. Evidently's automatic choice only needs to know whether a
    /// column has more than 2 or more than 5 distinct values.
    /// </summary>
    public IReadOnlyList<double>? KnownValues { get; init; }

    /// <summary>Equal-width edges over [min, max] (numpy's histogram edges for that range).</summary>
    public static double[] EqualWidthEdges(double min, double max, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (!double.IsFinite(min) || !double.IsFinite(max) || max < min)
        {
            throw new ArgumentException("Histogram range must be finite with min ≤ max.");
        }

        return min == max ? SturgesBins.Linspace(min - 0.5, max + 0.5, bins) : SturgesBins.Linspace(min, max, bins);
    }

    /// <summary>Summarises values on the given edges; NaN and ±∞ are missing and skipped.</summary>
    public static HistogramSummary FromValues(ReadOnlySpan<double> values, IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Count < 2)
        {
            throw new ArgumentException("A histogram needs at least two edges.", nameof(edges));
        }

        var counts = new long[edges.Count - 1];
        long under = 0, over = 0, n = 0;
        double mean = 0, m2 = 0;
        var known = new SortedSet<double>();
        var tracking = true;
        var edgeArray = edges as double[] ?? edges.ToArray();
        foreach (var raw in values)
        {
            if (!double.IsFinite(raw))
            {
                continue;
            }

            var v = raw + 0.0;
            n++;
            var delta = v - mean;
            mean += delta / n;
            m2 += delta * (v - mean);
            if (tracking && known.Add(v) && known.Count > MaxKnownValues)
            {
                tracking = false;
            }

            if (v < edgeArray[0])
            {
                under++;
            }
            else if (v > edgeArray[^1])
            {
                over++;
            }
            else
            {
                var bin = SturgesBins.UpperBound(edgeArray, v) - 1;
                counts[Math.Min(bin, counts.Length - 1)]++;
            }
        }

        return new HistogramSummary
        {
            Edges = edgeArray,
            Counts = counts,
            Underflow = under,
            Overflow = over,
            Mean = n == 0 ? 0 : mean,
            StandardDeviation = n == 0 ? 0 : Math.Sqrt(m2 / n),
            KnownValues = tracking ? known.ToArray() : null,
        };
    }

    /// <summary>Merges two summaries on the same edges (Chan's pairwise update for mean and variance).</summary>
    public HistogramSummary Merge(HistogramSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Edges.SequenceEqual(other.Edges))
        {
            throw new ArgumentException("Histogram summaries merge only on the same edges.", nameof(other));
        }

        long n1 = Count, n2 = other.Count, n = n1 + n2;
        var delta = other.Mean - Mean;
        var mean = n == 0 ? 0 : Mean + delta * n2 / n;
        var m2 = StandardDeviation * StandardDeviation * n1 + other.StandardDeviation * other.StandardDeviation * n2
            + (n == 0 ? 0 : delta * delta * n1 * n2 / n);
        return new HistogramSummary
        {
            Edges = Edges,
            Counts = Counts.Zip(other.Counts, (a, b) => a + b).ToArray(),
            Underflow = Underflow + other.Underflow,
            Overflow = Overflow + other.Overflow,
            Mean = mean,
            StandardDeviation = n == 0 ? 0 : Math.Sqrt(m2 / n),
            KnownValues = UnionKnown(KnownValues, other.KnownValues),
        };
    }

    internal static IReadOnlyList<double>? UnionKnown(IReadOnlyList<double>? a, IReadOnlyList<double>? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        var union = a.Union(b).Order().ToArray();
        return union.Length > MaxKnownValues ? null : union;
    }
}
