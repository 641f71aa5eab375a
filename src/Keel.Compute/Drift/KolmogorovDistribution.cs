namespace Keel.Compute.Drift;

/// <summary>
/// Survival function of the two-sided one-sample Kolmogorov statistic D_n (scipy.stats.kstwo.sf),
/// which scipy's ks_2samp uses for its asymptotic two-sided p-value with n = round(m·n/(m+n)).
/// The branches follow Simard and L'Ecuyer (2011) as scipy selects them, so the same method is
/// used for the same (n, x): Ruben–Gambino at the ends, 2·Smirnov for large n·x², the
/// Durbin matrix (Marsaglia–Tsang–Wang) for small n·x^1.5, Pelz–Good otherwise. Where scipy uses
/// Pomeranz's recursion (n ≤ 140) the Durbin matrix is used instead: both are exact.
/// </summary>
internal static class KolmogorovDistribution
{
    private const int ScaleExponent = 128;
    private static readonly double ScaleUp = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double ScaleDown = Math.ScaleB(1.0, -ScaleExponent);

    public static double Survival(int n, double x)
    {
        if (n <= 0 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1)
        {
            return 0;
        }

        if (x <= 0)
        {
            return 1;
        }

        var t = n * x;
        if (t <= 1)
        {
            if (t <= 0.5)
            {
                return 1;
            }

            double cdf;
            if (n <= 140)
            {
                cdf = 1;
                for (var i = 1; i <= n; i++)
                {
                    cdf *= i * (1.0 / n) * (2 * t - 1);
                }
            }
            else
            {
                cdf = Math.Exp(LogFactorialOverPower(n) + n * Math.Log(2 * t - 1));
            }

            return Clip(1 - cdf);
        }

        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1 - x, n));
        }

        if (x >= 0.5)
        {
            return Clip(2 * SmirnovSurvival(n, x));
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            return nxSquared <= 4 ? Clip(1 - DurbinCdf(n, x)) : Clip(2 * SmirnovSurvival(n, x));
        }

        if (nxSquared >= 370)
        {
            return 0;
        }

        if (nxSquared >= 2.2)
        {
            return Clip(2 * SmirnovSurvival(n, x));
        }

        var cdfProbability = n <= 100_000 && n * Math.Pow(x, 1.5) <= 1.4 ? DurbinCdf(n, x) : PelzGoodCdf(n, x);
        return Clip(1 - cdfProbability);
    }

    private static double Clip(double p) => Math.Clamp(p, 0, 1);

    // log(n!/n^n) by Stirling's series, as scipy evaluates it for n > 140.
    private static double LogFactorialOverPower(int n)
    {
        double[] coefficients =
        [
            -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
            8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
            -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ];
        var rn = 1.0 / n;
        var u = rn / n;
        var poly = 0.0;
        foreach (var c in coefficients)
        {
            poly = poly * u + c;
        }

        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + rn * poly;
    }

    /// <summary>
    /// One-sided Smirnov survival P(D⁺_n ≥ x) by the Birnbaum–Tingey sum, every term positive,
    /// summed in log space with the binomial coefficient carried incrementally.
    /// </summary>
    public static double SmirnovSurvival(int n, double x)
    {
        if (x >= 1)
        {
            return 0;
        }

        if (x <= 0)
        {
            return 1;
        }

        var last = (int)Math.Floor(n * (1 - x));
        var logs = new double[last + 1];
        var logBinomial = 0.0;
        var max = double.NegativeInfinity;
        for (var j = 0; j <= last; j++)
        {
            if (j > 0)
            {
                logBinomial += Math.Log((double)(n - j + 1) / j);
            }

            var rest = 1 - x - (double)j / n;
            double logTerm;
            if (rest <= 0)
            {
                logTerm = n == j ? logBinomial + Math.Log(x) + (j - 1) * Math.Log(x + (double)j / n) : double.NegativeInfinity;
            }
            else if (j == 0)
            {
                logTerm = n * Math.Log(rest);
            }
            else
            {
                logTerm = logBinomial + Math.Log(x) + (j - 1) * Math.Log(x + (double)j / n) + (n - j) * Math.Log(rest);
            }

            logs[j] = logTerm;
            max = Math.Max(max, logTerm);
        }

        if (double.IsNegativeInfinity(max))
        {
            return 0;
        }

        var sum = 0.0;
        foreach (var l in logs)
        {
            sum += Math.Exp(l - max);
        }

        return Math.Exp(max + Math.Log(sum));
    }

    /// <summary>Pr(D_n ≤ d) by the Durbin matrix, H^n with Marsaglia–Tsang–Wang's rescaling.</summary>
    private static double DurbinCdf(int n, double d)
    {
        if (d >= 1)
        {
            return 1;
        }

        var nd = n * d;
        if (nd <= 0.5)
        {
            return 0;
        }

        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = 2 * k - 1;
        var matrix = new double[m, m];
        var v = new double[m];
        var w = new double[m];
        var factorial = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1 - Math.Pow(h, j)) * factorial;
        }

        var tail = Math.Pow(Math.Max(2 * h - 1, 0), m) - 2 * Math.Pow(h, m);
        v[m - 1] = (1 + tail) * factorial;
        for (var i = 1; i < m; i++)
        {
            for (var r = i - 1; r < m; r++)
            {
                matrix[r, i] = w[r - i + 1];
            }
        }

        for (var r = 0; r < m; r++)
        {
            matrix[r, 0] = v[r];
        }

        for (var c = 0; c < m; c++)
        {
            matrix[m - 1, c] = v[m - 1 - c];
        }

        var power = Identity(m);
        var exponent = 0;
        var matrixExponent = 0;
        var remaining = n;
        while (remaining > 0)
        {
            if (remaining % 2 == 1)
            {
                power = Multiply(power, matrix);
                exponent += matrixExponent;
            }

            matrix = Multiply(matrix, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[k - 1, k - 1]) > ScaleUp)
            {
                Scale(matrix, ScaleDown);
                matrixExponent += ScaleExponent;
            }

            remaining /= 2;
        }

        var p = power[k - 1, k - 1];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < ScaleDown)
            {
                p *= ScaleUp;
                exponent -= ScaleExponent;
            }
        }

        if (exponent != 0)
        {
            p = Math.ScaleB(p, exponent);
        }

        return Clip(p);
    }

    private static double[,] Identity(int m)
    {
        var result = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            result[i, i] = 1;
        }

        return result;
    }

    private static void Scale(double[,] a, double factor)
    {
        var m = a.GetLength(0);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                a[i, j] *= factor;
            }
        }
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = a.GetLength(0);
        var result = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var k = 0; k < m; k++)
            {
                var aik = a[i, k];
                if (aik == 0)
                {
                    continue;
                }

                for (var j = 0; j < m; j++)
                {
                    result[i, j] += aik * b[k, j];
                }
            }
        }

        return result;
    }

    /// <summary>Pelz–Good approximation of Pr(D_n ≤ x): Li-Chien/Korolyuk's series in 1/√n, theta-transformed.</summary>
    private static double PelzGoodCdf(int n, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
        var qLog = -Math.PI * Math.PI / 8 / z2;
        if (qLog < -708)
        {
            return 0;
        }

        var q = Math.Exp(qLog);
        double pi2 = Math.PI * Math.PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
        var k1a = -z2;
        var k1b = pi2 / 4;
        var k2a = 6 * z6 + 2 * z4;
        var k2b = (2 * z4 - 5 * z2) * pi2 / 4;
        var k2c = pi4 * (1 - 2 * z2) / 16;
        var k3d = pi6 * (5 - 30 * z2) / 64;
        var k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
        var k3b = pi2 * (135 * z4 - 96 * z6) / 4;
        var k3a = -30 * z6 - 90 * Math.Pow(z, 8);
        var terms = new double[4];
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k > 0; k--)
        {
            double m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
            var qPower = Math.Pow(q, 8 * k);
            terms[0] = terms[0] * qPower + 1;
            terms[1] = terms[1] * qPower + (k1a + k1b * m2);
            terms[2] = terms[2] * qPower + (k2a + k2b * m2 + k2c * m4);
            terms[3] = terms[3] * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }

        var sqrt2Pi = Math.Sqrt(2 * Math.PI);
        double[] divisors = [z, 6 * z4, 72 * Math.Pow(z, 7), 6480 * Math.Pow(z, 10)];
        for (var i = 0; i < 4; i++)
        {
            terms[i] = terms[i] * q * sqrt2Pi / divisors[i];
        }

        var q2 = Math.Exp(-pi2 / 2 / z2);
        var sqrt3z = Math.Sqrt(3) * z;
        double extra2 = 0, extra3 = 0;
        for (var k = maxK; k > 0; k--)
        {
            double kk = (double)k * k;
            var qp = Math.Pow(q2, kk);
            extra2 += kk * qp;
            var kspi = Math.PI * k;
            extra3 += (sqrt3z + kspi) * (sqrt3z - kspi) * kk * qp;
        }

        terms[2] += extra2 * pi2 * sqrt2Pi / (-36 * z3);
        terms[3] += extra3 * pi2 * sqrt2Pi / (216 * z6);
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            sum += terms[i] / Math.Pow(n, i / 2.0);
        }

        return sum;
    }
}
