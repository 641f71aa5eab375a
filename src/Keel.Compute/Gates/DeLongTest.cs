namespace Keel.Compute.Gates;

/// <summary>
/// DeLong, DeLong and Clarke-Pearson's (1988) test of two correlated ROC AUCs measured on the same
/// rows, computed with Sun and Xu's (2014) midrank algorithm in O(n log n). With m positives X and
/// n negatives Y, the structural components are V10(Xᵢ) = (Tz(Xᵢ) − Tx(Xᵢ)) / n and
/// V01(Yⱼ) = 1 − (Tz(Yⱼ) − Ty(Yⱼ)) / m, where Tx, Ty and Tz are midranks within the positives, the
/// negatives and all rows; AUC is the mean of V10. The covariance of the two AUCs is
/// S10/m + S01/n, S10 and S01 being the sample covariances (denominator m − 1, n − 1) of the
/// components. Ties get midranks, so a tie between a positive and a negative counts one half, as in
/// scikit-learn's roc_auc_score. A higher score means "more likely positive".
/// </summary>
public static class DeLongTest
{
    /// <summary>Compares the champion's and the challenger's AUC on the same labelled rows.</summary>
    /// <exception cref="ArgumentException">Lengths differ, a score is NaN, or there are fewer than two positives or two negatives (the variance needs both).</exception>
    public static DeLongResult Compare(ReadOnlySpan<bool> labels, ReadOnlySpan<double> championScores, ReadOnlySpan<double> challengerScores)
    {
        if (championScores.Length != labels.Length || challengerScores.Length != labels.Length)
        {
            throw new ArgumentException($"Got {labels.Length} labels, {championScores.Length} champion scores and {challengerScores.Length} challenger scores.", nameof(labels));
        }

        var m = 0;
        foreach (var l in labels)
        {
            m += l ? 1 : 0;
        }

        var n = labels.Length - m;
        if (m < 2 || n < 2)
        {
            throw new ArgumentException($"DeLong's test needs at least two positive and two negative rows; got {m} positive and {n} negative.", nameof(labels));
        }

        var (auc0, v10a, v01a) = Components(labels, championScores, m, n, nameof(championScores));
        var (auc1, v10b, v01b) = Components(labels, challengerScores, m, n, nameof(challengerScores));
        var var0 = (Covariance(v10a, v10a) / m) + (Covariance(v01a, v01a) / n);
        var var1 = (Covariance(v10b, v10b) / m) + (Covariance(v01b, v01b) / n);
        var cov = (Covariance(v10a, v10b) / m) + (Covariance(v01a, v01b) / n);
        var diff = auc1 - auc0;
        var se = Math.Sqrt(Math.Max(0, var0 + var1 - (2 * cov)));
        double z, p;
        if (se == 0)
        {
            z = diff == 0 ? 0 : diff > 0 ? double.PositiveInfinity : double.NegativeInfinity;
            p = diff == 0 ? 1 : 0;
        }
        else
        {
            z = diff / se;
            p = Drift.SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));
        }

        return new DeLongResult(m, n, auc0, auc1, diff, var0, var1, cov, se, z, p);
    }

    /// <summary>Midranks (1-based, ties share the mean of their positions) of the values, written to ranks.</summary>
    internal static void MidRanks(ReadOnlySpan<double> values, Span<double> ranks, double[] keys, int[] order)
    {
        var len = values.Length;
        values.CopyTo(keys);
        for (var i = 0; i < len; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order, 0, len);
        var start = 0;
        while (start < len)
        {
            var end = start + 1;
            while (end < len && keys[end] == keys[start])
            {
                end++;
            }

            // Positions start..end-1 (0-based) share the rank ((start + 1) + end) / 2.
            var rank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end;
        }
    }

    private static (double Auc, double[] V10, double[] V01) Components(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, int m, int n, string name)
    {
        // Positives first, then negatives, keeping row order within each.
        var z = new double[m + n];
        int pi = 0, ni = m;
        for (var i = 0; i < labels.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score of row {i} is NaN.", name);
            }

            z[labels[i] ? pi++ : ni++] = scores[i];
        }

        var keys = new double[m + n];
        var order = new int[m + n];
        var tz = new double[m + n];
        var tx = new double[m];
        var ty = new double[n];
        MidRanks(z, tz, keys, order);
        MidRanks(z.AsSpan(0, m), tx, keys, order);
        MidRanks(z.AsSpan(m), ty, keys, order);
        var v10 = new double[m];
        var v01 = new double[n];
        var sum = 0.0;
        for (var i = 0; i < m; i++)
        {
            v10[i] = (tz[i] - tx[i]) / n;
            sum += v10[i];
        }

        for (var j = 0; j < n; j++)
        {
            v01[j] = 1 - ((tz[m + j] - ty[j]) / m);
        }

        return (sum / m, v10, v01);
    }

    private static double Covariance(double[] a, double[] b)
    {
        double ma = 0, mb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            ma += a[i];
            mb += b[i];
        }

        ma /= a.Length;
        mb /= b.Length;
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            s += (a[i] - ma) * (b[i] - mb);
        }

        return s / (a.Length - 1);
    }
}
