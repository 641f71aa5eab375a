namespace Keel.Compute.Gates;

/// <summary>
/// McNemar's test for two classifiers scored on the same rows: only the discordant rows count,
/// b (challenger right, champion wrong) and c (the reverse). Under the null hypothesis each
/// discordant row is a fair coin, so b ~ Binomial(b + c, 1/2). The exact p-value is
/// min(1, 2·P[X ≤ min(b, c)]), as statsmodels' <c>mcnemar(exact=True)</c>; the asymptotic one is
/// the chi-square survival of (|b − c| − 1)² / (b + c) with one degree of freedom, as statsmodels'
/// <c>mcnemar(exact=False, correction=True)</c> (the correction is not clamped at b = c, matching it).
/// </summary>
public static class McNemarTest
{
    /// <summary>With <see cref="McNemarMethod.Auto"/>, the exact test is used when b + c is below this.</summary>
    public const int ExactBelow = 25;

    /// <summary>Counts the discordant rows of two per-row correctness vectors and tests them.</summary>
    /// <param name="championCorrect">Whether the champion got each row right.</param>
    /// <param name="challengerCorrect">Whether the challenger got each row right (same rows, same order).</param>
    /// <param name="method">Exact, chi-square, or automatic (exact when b + c &lt; 25).</param>
    public static McNemarResult Compare(ReadOnlySpan<bool> championCorrect, ReadOnlySpan<bool> challengerCorrect, McNemarMethod method = McNemarMethod.Auto)
    {
        if (championCorrect.Length != challengerCorrect.Length)
        {
            throw new ArgumentException($"Got {championCorrect.Length} champion rows but {challengerCorrect.Length} challenger rows.", nameof(challengerCorrect));
        }

        long b = 0, c = 0;
        for (var i = 0; i < championCorrect.Length; i++)
        {
            if (challengerCorrect[i] != championCorrect[i])
            {
                if (challengerCorrect[i]) { b++; } else { c++; }
            }
        }

        return FromCounts(b, c, method);
    }

    /// <summary>Tests given discordant counts b (challenger only right) and c (champion only right).</summary>
    public static McNemarResult FromCounts(long challengerOnlyCorrect, long championOnlyCorrect, McNemarMethod method = McNemarMethod.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(challengerOnlyCorrect);
        ArgumentOutOfRangeException.ThrowIfNegative(championOnlyCorrect);
        var b = challengerOnlyCorrect;
        var c = championOnlyCorrect;
        if (method == McNemarMethod.Auto)
        {
            method = b + c < ExactBelow ? McNemarMethod.Exact : McNemarMethod.ChiSquare;
        }

        return method == McNemarMethod.Exact
            ? new McNemarResult(b, c, method, Math.Min(b, c), ExactPValue(b, c))
            : new McNemarResult(b, c, method, ChiSquareStatistic(b, c), ChiSquarePValue(b, c));
    }

    /// <summary>min(1, 2·P[X ≤ min(b, c)]) for X ~ Binomial(b + c, 1/2); 1 when b + c = 0.</summary>
    public static double ExactPValue(long b, long c)
    {
        var n = b + c;
        var k = Math.Min(b, c);
        if (n == 0)
        {
            return 1;
        }

        // k ≤ n/2, so the pmf rises up to k: start at the largest term and walk down, which
        // neither underflows at 0.5^n nor loses the small terms.
        var logTerm = LogChoose(n, k) - (n * Math.Log(2));
        var term = Math.Exp(logTerm);
        var sum = term;
        for (var i = k; i > 0; i--)
        {
            term *= (double)i / (n - i + 1);
            sum += term;
            if (term < sum * 1e-18)
            {
                break;
            }
        }

        return Math.Min(1, 2 * sum);
    }

    /// <summary>(|b − c| − 1)² / (b + c); 0 when b + c = 0.</summary>
    public static double ChiSquareStatistic(long b, long c)
    {
        var n = b + c;
        if (n == 0)
        {
            return 0;
        }

        var d = Math.Abs(b - c) - 1.0;
        return d * d / n;
    }

    /// <summary>The chi-square (one degree of freedom) survival of <see cref="ChiSquareStatistic"/>; 1 when b + c = 0.</summary>
    public static double ChiSquarePValue(long b, long c)
    {
        // chi2.sf(x, 1) = erfc(sqrt(x / 2)); erfc keeps full precision in the tail.
        return b + c == 0 ? 1 : Drift.SpecialFunctions.Erfc(Math.Sqrt(ChiSquareStatistic(b, c) / 2));
    }

    private static double LogChoose(long n, long k)
    {
        // A sum of logs is exact to rounding for the sizes a gate sees; log-gamma's absolute
        // error grows with n log n and would cost digits at a million rows.
        var sum = 0.0;
        for (long j = 1; j <= k; j++)
        {
            sum += Math.Log((double)(n - k + j) / j);
        }

        return sum;
    }
}
