namespace Keel.Compute.Drift;

/// <summary>
/// Drift from mergeable window summaries. Tests on bins run on the summary's bins (bins empty on
/// both sides dropped, under/overflow as extra bins); ks and wasserstein are approximated from the
/// binned CDFs (piecewise linear within a bin). Numeric results are never Exact, since Evidently
/// bins raw values by Sturges' rule; categorical ones are, unless an "other" bucket is involved.
/// </summary>
internal static class SummaryDrift
{
    public static ColumnDriftResult Numeric(string name, HistogramSummary reference, HistogramSummary current, DriftOptions options)
    {
        if (!reference.Edges.SequenceEqual(current.Edges))
        {
            throw new ArgumentException($"Summaries of column '{name}' must share the reference's bin edges.");
        }

        long nRef = reference.Count, nCur = current.Count;
        if (nRef == 0 || nCur == 0)
        {
            throw new ArgumentException($"Column '{name}' has no values in the {(nRef == 0 ? "reference" : "current")} summary.");
        }

        var known = HistogramSummary.UnionKnown(reference.KnownValues, current.KnownValues);
        var distinct = known?.Count ?? HistogramSummary.MaxKnownValues + 1;
        var method = options.MethodFor(name, DriftColumnType.Numerical) ?? NumericDrift.Automatic(nRef, distinct);
        var threshold = options.ThresholdFor(name, DriftColumnType.Numerical) ?? StatTests.DefaultThreshold(method);
        var r = WithTails(reference);
        var c = WithTails(current);
        var binning = $"reference profile: {reference.Counts.Count} equal-width bins + underflow/overflow";
        double score = method switch
        {
            StatTests.Ks => KsTwoSample.PValue(MaxCdfGap(r, nRef, c, nCur), nRef, nCur),
            StatTests.Wasserstein => BinnedWasserstein(reference.Edges, r, nRef, c, nCur) / Math.Max(reference.StandardDeviation, 0.001),
            _ => OnBins(method, r, nRef, c, nCur),
        };
        var edges = reference.Edges.ToArray();
        return new ColumnDriftResult
        {
            Column = name,
            ColumnType = "num",
            StatTest = method,
            DriftScore = score,
            Threshold = threshold,
            DriftDetected = StatTests.Detects(method, score, threshold),
            Binning = binning,
            Exact = false,
            ReferenceCount = nRef,
            CurrentCount = nCur,
            Histogram = new DriftHistogram { Edges = edges, ReferenceCounts = reference.Counts.ToArray(), CurrentCounts = current.Counts.ToArray() },
        };
    }

    public static ColumnDriftResult Categorical(string name, CategoryCounts reference, CategoryCounts current, DriftOptions options)
    {
        long nRef = reference.Count, nCur = current.Count;
        if (nRef == 0 || nCur == 0)
        {
            throw new ArgumentException($"Column '{name}' has no values in the {(nRef == 0 ? "reference" : "current")} summary.");
        }

        var categories = reference.Counts.Where(kv => kv.Value > 0).Select(kv => kv.Key)
            .Union(current.Counts.Where(kv => kv.Value > 0).Select(kv => kv.Key))
            .Order(StringComparer.Ordinal).ToList();
        var r = categories.Select(k => reference.Counts.GetValueOrDefault(k)).ToList();
        var c = categories.Select(k => current.Counts.GetValueOrDefault(k)).ToList();
        var hasOther = reference.Other > 0 || current.Other > 0;
        if (hasOther)
        {
            // "other" is one more bin; it sorts last so it is never the z-test's first category.
            categories.Add("(other)");
            r.Add(reference.Other);
            c.Add(current.Other);
        }

        var method = options.MethodFor(name, DriftColumnType.Categorical) ?? CategoricalDrift.Automatic(nRef, categories.Count);
        var binning = hasOther ? $"one bin per value ({categories.Count - 1} values + other)" : $"one bin per value ({categories.Count} values)";
        return CategoricalDrift.Score(name, method, options, categories.ToArray(), r.ToArray(), nRef, c.ToArray(), nCur, !hasOther, binning);
    }

    private static long[] WithTails(HistogramSummary s)
    {
        var all = new long[s.Counts.Count + 2];
        all[0] = s.Underflow;
        for (var i = 0; i < s.Counts.Count; i++)
        {
            all[i + 1] = s.Counts[i];
        }

        all[^1] = s.Overflow;
        return all;
    }

    private static double OnBins(string method, long[] r, long nRef, long[] c, long nCur)
    {
        var keep = Enumerable.Range(0, r.Length).Where(i => r[i] > 0 || c[i] > 0).ToArray();
        var rk = keep.Select(i => r[i]).ToArray();
        var ck = keep.Select(i => c[i]).ToArray();
        return method switch
        {
            StatTests.ChiSquare => BinnedMeasures.ChiSquarePValue(rk, nRef, ck, nCur),
            StatTests.Z => rk.Length < 2 ? 1 : BinnedMeasures.ZPValue(rk[0], nRef, ck[0], nCur),
            StatTests.Psi => BinnedMeasures.Psi(rk, nRef, ck, nCur),
            StatTests.KlDiv => BinnedMeasures.KlDivergence(rk, nRef, ck, nCur),
            StatTests.Hellinger => BinnedMeasures.HellingerShares(rk, nRef, ck, nCur),
            _ => BinnedMeasures.JensenShannon(rk, nRef, ck, nCur),
        };
    }

    // The KS statistic seen at bin boundaries only: a lower bound of the raw-data statistic.
    private static double MaxCdfGap(long[] r, double nRef, long[] c, double nCur)
    {
        double cr = 0, cc = 0, max = 0;
        for (var i = 0; i < r.Length; i++)
        {
            cr += r[i];
            cc += c[i];
            max = Math.Max(max, Math.Abs(cr / nRef - cc / nCur));
        }

        return max;
    }

    // ∫|F_r − F_c| with both CDFs linear inside each bin; tails sit on the outer edges.
    private static double BinnedWasserstein(IReadOnlyList<double> edges, long[] r, double nRef, long[] c, double nCur)
    {
        double fr = r[0] / nRef, fc = c[0] / nCur, sum = 0;
        for (var i = 0; i < edges.Count - 1; i++)
        {
            var a = fr - fc;
            fr += r[i + 1] / nRef;
            fc += c[i + 1] / nCur;
            var b = fr - fc;
            var width = edges[i + 1] - edges[i];
            sum += (a >= 0) == (b >= 0)
                ? width * (Math.Abs(a) + Math.Abs(b)) / 2
                : width * (a * a + b * b) / (2 * (Math.Abs(a) + Math.Abs(b)));
        }

        return sum;
    }
}
