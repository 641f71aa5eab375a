namespace Keel.Compute.Drift;

/// <summary>
/// Two-sided two-sample Kolmogorov–Smirnov p-value as scipy.stats.ks_2samp(method='auto')
/// computes it: exact when both samples have at most 10,000 values (Hodges' lattice-path count,
/// in Viehmann's 1−p form; the m = n square case in closed form), otherwise the Kolmogorov
/// distribution at n = round(m·n/(m+n)). An exact computation that fails numerically falls back
/// to the asymptotic one, as scipy does.
/// </summary>
internal static class KsTwoSample
{
    public const int MaxExactSize = 10_000;

    public static bool IsExact(long n1, long n2) => Math.Max(n1, n2) <= MaxExactSize;

    public static double PValue(double statistic, long n1, long n2)
    {
        if (n1 <= 0 || n2 <= 0)
        {
            return double.NaN;
        }

        if (IsExact(n1, n2))
        {
            var g = Gcd(n1, n2);
            var lcm = n1 / g * n2;
            var h = (long)Math.Round(statistic * lcm, MidpointRounding.ToEven);
            if (h == 0)
            {
                return 1;
            }

            var p = n1 == n2 ? OutsideSquare(n1, h) : OutsideInside(n1, n2, g, h);
            if (p is >= 0 and <= 1)
            {
                return p;
            }
        }

        double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        return KolmogorovDistribution.Survival((int)Math.Round(en, MidpointRounding.ToEven), statistic);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    // Proportion of lattice paths leaving the band |x − y| < h, for equal sample sizes.
    private static double OutsideSquare(long n, long h)
    {
        var total = 0.0;
        for (var k = n / h; k >= 0; k--)
        {
            var p1 = 1.0;
            for (long j = 0; j < h; j++)
            {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }

            total = p1 * (1 - total);
        }

        return 2 * total;
    }

    // 1 − (paths staying strictly inside |x/m − y/n| < h/lcm) / C(m+n, n), one sliding column at a time.
    private static double OutsideInside(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;
        long minJ = 0;
        var maxJ = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var currentLength = maxJ - minJ;
        var a = new double[Math.Min(2 * maxJ + 2, n + 1)];
        Array.Fill(a, 1.0);
        for (var j = minJ; j < maxJ; j++)
        {
            a[j] = 0;
        }

        for (long i = 1; i <= m; i++)
        {
            var lastMinJ = minJ;
            var lastLength = currentLength;
            minJ = Math.Min(Math.Max((long)Math.Floor((double)(ng * i - h) / mg) + 1, 0), n);
            maxJ = Math.Min((long)Math.Ceiling((double)(ng * i + h) / mg), n + 1);
            if (maxJ <= minJ)
            {
                return 1;
            }

            var value = minJ == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxJ - minJ; jj++)
            {
                var j = jj + minJ;
                value = (a[jj + minJ - lastMinJ] * i + value * j) / (i + j);
                a[jj] = value;
            }

            currentLength = maxJ - minJ;
            if (lastLength > currentLength)
            {
                for (var r = maxJ - minJ; r < maxJ - minJ + (lastLength - currentLength) && r < a.Length; r++)
                {
                    a[r] = 1;
                }
            }
        }

        return a[maxJ - minJ - 1];
    }
}
