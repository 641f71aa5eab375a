namespace Keel.Compute.Drift;

/// <summary>
/// The few special functions the drift tests need and the BCL lacks (log-gamma, the regularized
/// upper incomplete gamma behind chi2.sf, the normal CDF). Accurate to ~1e-15 relative, which is
/// what matching scipy's p-values to many digits needs.
/// </summary>
internal static class SpecialFunctions
{
    private const double Epsilon = 1e-16;

    // Lanczos approximation, g = 7, nine coefficients (the standard published set).
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection keeps the approximation in the range where it is accurate.
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }

        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>Survival function of the chi-square distribution (scipy.stats.chi2.sf).</summary>
    public static double ChiSquareSurvival(double statistic, double degreesOfFreedom)
    {
        if (double.IsNaN(statistic) || degreesOfFreedom <= 0)
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(statistic))
        {
            return 0;
        }

        return statistic <= 0 ? 1 : UpperRegularizedGamma(degreesOfFreedom / 2, statistic / 2);
    }

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a): the series below a + 1, Lentz's continued fraction above.</summary>
    public static double UpperRegularizedGamma(double a, double x)
    {
        if (x <= 0)
        {
            return 1;
        }

        var logPrefix = a * Math.Log(x) - x - LogGamma(a);
        if (x < a + 1)
        {
            var term = 1 / a;
            var sum = term;
            for (var n = 1; n < 100_000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
                {
                    break;
                }
            }

            return 1 - sum * Math.Exp(logPrefix);
        }

        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 100_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny)
            {
                d = tiny;
            }

            c = b + an / c;
            if (Math.Abs(c) < tiny)
            {
                c = tiny;
            }

            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return Math.Exp(logPrefix) * h;
    }

    /// <summary>erfc(x) for x ≥ 0: a positive-term series below 2.5 (no cancellation), a continued fraction above.</summary>
    public static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        if (x < 2.5)
        {
            return 1 - Erf(x);
        }

        if (x > 27)
        {
            return 0;
        }

        // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated by Lentz.
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var i = 1; i < 500; i++)
        {
            var an = i / 2.0;
            d = x + an * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + an / c;
            if (Math.Abs(c) < tiny)
            {
                c = tiny;
            }

            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), every term positive.</summary>
    public static double Erf(double x)
    {
        if (x < 0)
        {
            return -Erf(-x);
        }

        if (x >= 2.5)
        {
            return 1 - Erfc(x);
        }

        var x2 = x * x;
        var term = x;
        var sum = x;
        for (var n = 1; n < 500; n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * Epsilon)
            {
                break;
            }
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
    }

    /// <summary>Standard normal CDF, evaluated the way cephes' ndtr does (erf near 0, erfc in the tails).</summary>
    public static double NormalCdf(double z)
    {
        var x = z * Math.Sqrt(0.5);
        var ax = Math.Abs(x);
        if (ax < Math.Sqrt(0.5))
        {
            return 0.5 + 0.5 * Erf(x);
        }

        var y = 0.5 * Erfc(ax);
        return x > 0 ? 1 - y : y;
    }
}
