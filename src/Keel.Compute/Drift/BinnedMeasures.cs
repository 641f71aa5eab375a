namespace Keel.Compute.Drift;

/// <summary>
/// The tests that only see counts per bin (or per category), on aligned reference/current
/// count vectors, computed as Evidently computes them: shares are count / n; PSI and KL fill
/// empty shares with min(nonzero)/10⁶ when that minimum is at most 10⁻⁴, else with 10⁻⁴
/// (Jensen–Shannon is not filled); KL and Jensen–Shannon renormalise as scipy's entropy and
/// jensenshannon do; chi-square expects reference counts scaled to the current size.
/// </summary>
internal static class BinnedMeasures
{
    public static double[] Shares(IReadOnlyList<long> counts, double n)
    {
        var shares = new double[counts.Count];
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] = counts[i] / n;
        }

        return shares;
    }

    public static void FillEmpty(double[] shares)
    {
        var min = double.PositiveInfinity;
        foreach (var s in shares)
        {
            if (s != 0 && s < min)
            {
                min = s;
            }
        }

        if (double.IsPositiveInfinity(min))
        {
            return;
        }

        var fill = min <= 0.0001 ? min / 1e6 : 0.0001;
        for (var i = 0; i < shares.Length; i++)
        {
            if (shares[i] == 0)
            {
                shares[i] = fill;
            }
        }
    }

    public static double Psi(IReadOnlyList<long> reference, double nRef, IReadOnlyList<long> current, double nCur)
    {
        var r = Shares(reference, nRef);
        var c = Shares(current, nCur);
        FillEmpty(r);
        FillEmpty(c);
        var sum = 0.0;
        for (var i = 0; i < r.Length; i++)
        {
            sum += (r[i] - c[i]) * Math.Log(r[i] / c[i]);
        }

        return sum;
    }

    public static double KlDivergence(IReadOnlyList<long> reference, double nRef, IReadOnlyList<long> current, double nCur)
    {
        var r = Shares(reference, nRef);
        var c = Shares(current, nCur);
        FillEmpty(r);
        FillEmpty(c);
        Normalize(r);
        Normalize(c);
        var sum = 0.0;
        for (var i = 0; i < r.Length; i++)
        {
            sum += RelativeEntropy(r[i], c[i]);
        }

        return sum;
    }

    public static double JensenShannon(IReadOnlyList<long> reference, double nRef, IReadOnlyList<long> current, double nCur)
    {
        var p = Shares(reference, nRef);
        var q = Shares(current, nCur);
        Normalize(p);
        Normalize(q);
        double left = 0, right = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var m = (p[i] + q[i]) / 2.0;
            left += RelativeEntropy(p[i], m);
            right += RelativeEntropy(q[i], m);
        }

        return Math.Sqrt((left + right) / 2.0);
    }

    /// <summary>Hellinger on categories: √(1 − Σ √(p·q)), the coefficient clipped to [0, 1].</summary>
    public static double HellingerShares(IReadOnlyList<long> reference, double nRef, IReadOnlyList<long> current, double nCur)
    {
        var coefficient = 0.0;
        for (var i = 0; i < reference.Count; i++)
        {
            coefficient += Math.Sqrt(reference[i] / nRef * (current[i] / nCur));
        }

        return Math.Sqrt(1 - Math.Clamp(coefficient, 0, 1));
    }

    /// <summary>Chi-square p-value; a category absent from the reference but present now gives p = 0.</summary>
    public static double ChiSquarePValue(IReadOnlyList<long> reference, double nRef, IReadOnlyList<long> current, double nCur)
    {
        if (reference.Count < 2)
        {
            // One category on both sides: scipy answers NaN (0 degrees of freedom); nothing can have moved.
            return 1;
        }

        var scale = nCur / nRef;
        var statistic = 0.0;
        for (var i = 0; i < reference.Count; i++)
        {
            var expected = reference[i] * scale;
            var diff = current[i] - expected;
            statistic += diff * diff / expected;
        }

        return SpecialFunctions.ChiSquareSurvival(statistic, reference.Count - 1);
    }

    /// <summary>Two-proportion z-test, share of "not the first category" in each sample, two-sided.</summary>
    public static double ZPValue(long referenceFirst, long nRef, long currentFirst, long nCur)
    {
        double p1 = (double)(nRef - referenceFirst) / nRef;
        double p2 = (double)(nCur - currentFirst) / nCur;
        var pooled = (p1 * nRef + p2 * nCur) / (nRef + nCur);
        var z = (p1 - p2) / Math.Sqrt(pooled * (1 - pooled) * (1.0 / nRef + 1.0 / nCur));
        if (double.IsNaN(z))
        {
            // Pooled share 0 or 1: both samples are the same single value.
            return 1;
        }

        return 2 * (1 - SpecialFunctions.NormalCdf(Math.Abs(z)));
    }

    private static void Normalize(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        if (sum == 0)
        {
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    private static double RelativeEntropy(double x, double y)
    {
        if (x > 0 && y > 0)
        {
            return x * Math.Log(x / y);
        }

        return x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
    }
}
