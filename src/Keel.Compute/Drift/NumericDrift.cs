namespace Keel.Compute.Drift;

/// <summary>Drift of one numeric column from its raw values, on sorted copies of both sides.</summary>
internal static class NumericDrift
{
    private const string RawValues = "none (raw values)";

    public static ColumnDriftResult Compare(DriftColumn column, DriftOptions options)
    {
        var reference = RadixSort.SortFinite(column.NumericReference.Span);
        var current = RadixSort.SortFinite(column.NumericCurrent.Span);
        if (reference.Length == 0 || current.Length == 0)
        {
            throw new ArgumentException(
                $"Column '{column.Name}' has no non-missing values in the {(reference.Length == 0 ? "reference" : "current")} data.");
        }

        // Distinct counts are only compared with 5 and 20, so counting stops early; the distinct
        // values themselves are listed only when a per-value method needs them.
        var referenceUnique = CountDistinct(reference, 21);
        var distinct = CountDistinctMerged(reference, current, 6);
        var method = options.MethodFor(column.Name, DriftColumnType.Numerical) ?? Automatic(reference.Length, distinct);
        var combined = referenceUnique > 20 && method is not (StatTests.ChiSquare or StatTests.Z or StatTests.Hellinger)
            ? [Math.Min(reference[0], current[0]), Math.Max(reference[^1], current[^1])]
            : DistinctCombined(reference, current);
        var threshold = options.ThresholdFor(column.Name, DriftColumnType.Numerical) ?? StatTests.DefaultThreshold(method);
        var plot = PlotBins(reference, current, referenceUnique, combined);

        double score;
        string binning;
        switch (method)
        {
            case StatTests.Ks:
                score = KsTwoSample.PValue(KsStatistic(reference, current), reference.Length, current.Length);
                binning = RawValues;
                break;
            case StatTests.Wasserstein:
                score = Wasserstein(reference, current) / Math.Max(StandardDeviation(reference), 0.001);
                binning = RawValues;
                break;
            case StatTests.ChiSquare:
            {
                var (r, c) = PerValue(reference, current, combined);
                score = BinnedMeasures.ChiSquarePValue(r, reference.Length, c, current.Length);
                binning = PerValueText(combined.Length);
                break;
            }

            case StatTests.Z:
                score = ZTest(reference, current, combined);
                binning = PerValueText(combined.Length);
                break;
            case StatTests.Hellinger:
            {
                var edges = SturgesBins.Edges(combined.Length, combined[0], combined[^1]);
                score = HellingerDensity(reference, current, edges);
                binning = $"sturges: {edges.Length - 1} bins over the distinct values of reference+current";
                break;
            }

            default:
            {
                var (r, c, text) = EvidentlyBins(reference, current, referenceUnique, combined);
                score = method switch
                {
                    StatTests.Psi => BinnedMeasures.Psi(r, reference.Length, c, current.Length),
                    StatTests.KlDiv => BinnedMeasures.KlDivergence(r, reference.Length, c, current.Length),
                    _ => BinnedMeasures.JensenShannon(r, reference.Length, c, current.Length),
                };
                binning = text;
                break;
            }
        }

        return new ColumnDriftResult
        {
            Column = column.Name,
            ColumnType = "num",
            StatTest = method,
            DriftScore = score,
            Threshold = threshold,
            DriftDetected = StatTests.Detects(method, score, threshold),
            Binning = binning,
            Exact = true,
            ReferenceCount = reference.Length,
            CurrentCount = current.Length,
            Histogram = plot,
        };
    }

    /// <summary>Evidently's automatic choice for a numeric column (n = distinct values over both sides).</summary>
    public static string Automatic(long referenceSize, long distinct)
    {
        if (referenceSize <= 1000)
        {
            return distinct > 5 ? StatTests.Ks : distinct > 2 ? StatTests.ChiSquare : StatTests.Z;
        }

        return distinct > 5 ? StatTests.Wasserstein : StatTests.JensenShannon;
    }

    private static string PerValueText(int values) => $"one bin per value ({values} values)";

    // get_binned_data: Sturges over reference+current when the reference has more than 20 distinct values.
    private static (long[] Reference, long[] Current, string Text) EvidentlyBins(
        double[] reference, double[] current, int referenceUnique, double[] combined)
    {
        if (referenceUnique > 20)
        {
            var edges = SturgesBins.Edges(reference.Length + current.Length, combined[0], combined[^1]);
            return (SturgesBins.Count(reference, edges), SturgesBins.Count(current, edges),
                $"sturges: {edges.Length - 1} bins over reference+current");
        }

        var (r, c) = PerValue(reference, current, combined);
        return (r, c, PerValueText(combined.Length));
    }

    private static DriftHistogram PlotBins(double[] reference, double[] current, int referenceUnique, double[] combined)
    {
        double[] edges;
        if (referenceUnique > 20)
        {
            edges = SturgesBins.Edges(reference.Length + current.Length, combined[0], combined[^1]);
            return new DriftHistogram
            {
                Edges = edges,
                ReferenceCounts = SturgesBins.Count(reference, edges),
                CurrentCounts = SturgesBins.Count(current, edges),
            };
        }

        var (r, c) = PerValue(reference, current, combined);
        return new DriftHistogram
        {
            Categories = combined.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            ReferenceCounts = r,
            CurrentCounts = c,
        };
    }

    private static (long[] Reference, long[] Current) PerValue(double[] reference, double[] current, double[] combined)
    {
        var r = new long[combined.Length];
        var c = new long[combined.Length];
        int i = 0, j = 0;
        for (var k = 0; k < combined.Length; k++)
        {
            var v = combined[k];
            var start = i;
            while (i < reference.Length && reference[i] == v)
            {
                i++;
            }

            r[k] = i - start;
            start = j;
            while (j < current.Length && current[j] == v)
            {
                j++;
            }

            c[k] = j - start;
        }

        return (r, c);
    }

    private static int CountDistinct(double[] sorted, int cap)
    {
        var count = sorted.Length == 0 ? 0 : 1;
        for (var i = 1; i < sorted.Length && count < cap; i++)
        {
            if (sorted[i] != sorted[i - 1])
            {
                count++;
            }
        }

        return count;
    }

    private static int CountDistinctMerged(double[] a, double[] b, int cap)
    {
        var count = 0;
        var last = double.NaN;
        int i = 0, j = 0;
        while ((i < a.Length || j < b.Length) && count < cap)
        {
            var v = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i++] : b[j++];
            if (count == 0 || v != last)
            {
                count++;
                last = v;
            }
        }

        return count;
    }

    private static double[] DistinctCombined(double[] a, double[] b)
    {
        var result = new List<double>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var v = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            if (result.Count == 0 || result[^1] != v)
            {
                result.Add(v);
            }

            while (i < a.Length && a[i] == v)
            {
                i++;
            }

            while (j < b.Length && b[j] == v)
            {
                j++;
            }
        }

        return result.ToArray();
    }

    // scipy's D: the largest gap between the two empirical CDFs over every observed value.
    internal static double KsStatistic(double[] reference, double[] current)
    {
        double n1 = reference.Length, n2 = current.Length;
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        int i = 0, j = 0;
        while (i < reference.Length || j < current.Length)
        {
            var v = j >= current.Length || (i < reference.Length && reference[i] <= current[j]) ? reference[i] : current[j];
            while (i < reference.Length && reference[i] == v)
            {
                i++;
            }

            while (j < current.Length && current[j] == v)
            {
                j++;
            }

            var diff = i / n1 - j / n2;
            max = Math.Max(max, diff);
            min = Math.Min(min, diff);
        }

        var minS = Math.Clamp(-min, 0, 1);
        return minS > max ? minS : max;
    }

    // scipy's wasserstein_distance: ∫ |F_u − F_v| over the merged sorted values.
    internal static double Wasserstein(double[] u, double[] v)
    {
        double nu = u.Length, nv = v.Length;
        int i = 0, j = 0;
        var sum = 0.0;
        var previous = double.NaN;
        double cu = 0, cv = 0;
        while (i < u.Length || j < v.Length)
        {
            var x = j >= v.Length || (i < u.Length && u[i] <= v[j]) ? u[i] : v[j];
            if (!double.IsNaN(previous))
            {
                sum += Math.Abs(cu - cv) * (x - previous);
            }

            while (i < u.Length && u[i] == x)
            {
                i++;
            }

            while (j < v.Length && v[j] == x)
            {
                j++;
            }

            cu = i / nu;
            cv = j / nv;
            previous = x;
        }

        return sum;
    }

    internal static double StandardDeviation(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / values.Length;
        var squares = 0.0;
        foreach (var v in values)
        {
            var d = v - mean;
            squares += d * d;
        }

        return Math.Sqrt(squares / values.Length);
    }

    private static double ZTest(double[] reference, double[] current, double[] combined)
    {
        if (combined.Length == 1)
        {
            return 1;
        }

        var first = combined[0];
        return BinnedMeasures.ZPValue(
            SturgesBins.UpperBound(reference, first), reference.Length, SturgesBins.UpperBound(current, first), current.Length);
    }

    // Evidently's numeric Hellinger: numpy density histograms on Sturges edges, coefficient Σ √(p·q)·width.
    private static double HellingerDensity(double[] reference, double[] current, double[] edges)
    {
        var r = SturgesBins.Count(reference, edges);
        var c = SturgesBins.Count(current, edges);
        double totalR = r.Sum(), totalC = c.Sum();
        var width = (edges[^1] - edges[0]) / (edges.Length - 1);
        var coefficient = 0.0;
        for (var k = 0; k < r.Length; k++)
        {
            var binWidth = edges[k + 1] - edges[k];
            var p = r[k] / binWidth / totalR;
            var q = c[k] / binWidth / totalC;
            coefficient += Math.Sqrt(p * q) * width;
        }

        return Math.Sqrt(1 - Math.Clamp(coefficient, 0, 1));
    }
}
