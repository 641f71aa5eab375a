namespace Keel.Compute.Serving;

/// <summary>
/// Distances between two distributions of predictions, for comparing a challenger with its
/// champion. The Jensen–Shannon divergence (base 2) is symmetric, bounded in [0, 1] and defined
/// even when one side has empty bins, which is why rollouts use it rather than KL.
/// </summary>
public static class Divergence
{
    /// <summary>Bins used by <see cref="OfSamples"/>.</summary>
    public const int DefaultBins = 8;

    /// <summary>
    /// Jensen–Shannon divergence (base 2) between a candidate sample and a reference sample, binned
    /// at the reference's quantiles (equal-frequency bins), so a skewed or outlier-heavy reference
    /// still spreads over every bin.
    /// </summary>
    public static double OfSamples(ReadOnlySpan<double> reference, ReadOnlySpan<double> candidate, int bins = DefaultBins)
    {
        if (reference.IsEmpty || candidate.IsEmpty)
        {
            return 0;
        }

        var edges = QuantileEdges(reference, bins);
        Span<double> p = stackalloc double[bins];
        Span<double> q = stackalloc double[bins];
        BinByEdges(reference, edges, p);
        BinByEdges(candidate, edges, q);
        return JensenShannon(p, q);
    }

    /// <summary>The bins - 1 interior edges at the reference's quantiles 1/bins, 2/bins, ...; non-finite values are ignored.</summary>
    public static double[] QuantileEdges(ReadOnlySpan<double> reference, int bins)
    {
        var sorted = new List<double>(reference.Length);
        foreach (var v in reference)
        {
            if (double.IsFinite(v))
            {
                sorted.Add(v);
            }
        }

        sorted.Sort();
        var edges = new double[bins - 1];
        for (var i = 1; i < bins; i++)
        {
            edges[i - 1] = sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)((long)i * sorted.Count / bins))];
        }

        return edges;
    }

    /// <summary>Counts values into bins bounded by interior edges: bin i holds values with exactly i edges at or below them.</summary>
    public static void BinByEdges(ReadOnlySpan<double> values, ReadOnlySpan<double> edges, Span<double> counts)
    {
        counts.Clear();
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                continue;
            }

            int lo = 0, hi = edges.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (edges[mid] <= v)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            counts[lo]++;
        }
    }

    /// <summary>Jensen–Shannon divergence (base 2) between two histograms (counts or probabilities).</summary>
    public static double JensenShannon(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException("Histograms must have the same number of bins.", nameof(q));
        }

        var sp = Sum(p);
        var sq = Sum(q);
        if (sp <= 0 || sq <= 0)
        {
            return 0;
        }

        double js = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var pi = p[i] / sp;
            var qi = q[i] / sq;
            var m = (pi + qi) / 2;
            if (pi > 0)
            {
                js += 0.5 * pi * Math.Log2(pi / m);
            }

            if (qi > 0)
            {
                js += 0.5 * qi * Math.Log2(qi / m);
            }
        }

        return Math.Clamp(js, 0, 1);
    }

    /// <summary>
    /// Population stability index between an expected and an actual histogram. Empty bins get a
    /// small floor (1e-4) so the index stays finite, as is usual in credit-risk practice.
    /// </summary>
    public static double PopulationStability(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException("Histograms must have the same number of bins.", nameof(actual));
        }

        const double Floor = 1e-4;
        var se = Sum(expected);
        var sa = Sum(actual);
        if (se <= 0 || sa <= 0)
        {
            return 0;
        }

        double psi = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var e = Math.Max(expected[i] / se, Floor);
            var a = Math.Max(actual[i] / sa, Floor);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double s = 0;
        foreach (var v in values)
        {
            s += v;
        }

        return s;
    }
}
