namespace Keel.Compute.Drift;

/// <summary>Drift of one categorical column: every test sees one bin per category over both sides.</summary>
internal static class CategoricalDrift
{
    public static ColumnDriftResult Compare(DriftColumn column, DriftOptions options)
    {
        var referenceCounts = Count(column.CategoricalReference, out var nRef);
        var currentCounts = Count(column.CategoricalCurrent, out var nCur);
        if (nRef == 0 || nCur == 0)
        {
            throw new ArgumentException(
                $"Column '{column.Name}' has no non-missing values in the {(nRef == 0 ? "reference" : "current")} data.");
        }

        var categories = referenceCounts.Keys.Union(currentCounts.Keys).Order(StringComparer.Ordinal).ToArray();
        var r = categories.Select(k => referenceCounts.GetValueOrDefault(k)).ToArray();
        var c = categories.Select(k => currentCounts.GetValueOrDefault(k)).ToArray();
        var method = options.MethodFor(column.Name, DriftColumnType.Categorical) ?? Automatic(nRef, categories.Length);
        return Score(column.Name, method, options, categories, r, nRef, c, nCur, exact: true, $"one bin per value ({categories.Length} values)");
    }

    /// <summary>Evidently's automatic choice for a categorical column.</summary>
    public static string Automatic(long referenceSize, long distinct) =>
        referenceSize <= 1000 ? (distinct > 2 ? StatTests.ChiSquare : StatTests.Z) : StatTests.JensenShannon;

    /// <summary>Scores aligned category counts (categories in ordinal order; the first is the z-test's).</summary>
    internal static ColumnDriftResult Score(
        string name, string method, DriftOptions options, string[] categories, long[] r, long nRef, long[] c, long nCur, bool exact, string binning)
    {
        var threshold = options.ThresholdFor(name, DriftColumnType.Categorical) ?? StatTests.DefaultThreshold(method);
        var score = method switch
        {
            StatTests.ChiSquare => BinnedMeasures.ChiSquarePValue(r, nRef, c, nCur),
            StatTests.Z => categories.Length < 2 ? 1 : BinnedMeasures.ZPValue(r[0], nRef, c[0], nCur),
            StatTests.Psi => BinnedMeasures.Psi(r, nRef, c, nCur),
            StatTests.KlDiv => BinnedMeasures.KlDivergence(r, nRef, c, nCur),
            StatTests.JensenShannon => BinnedMeasures.JensenShannon(r, nRef, c, nCur),
            StatTests.Hellinger => BinnedMeasures.HellingerShares(r, nRef, c, nCur),
            _ => throw new ArgumentException($"Drift method '{method}' does not apply to categorical column '{name}'."),
        };
        return new ColumnDriftResult
        {
            Column = name,
            ColumnType = "cat",
            StatTest = method,
            DriftScore = score,
            Threshold = threshold,
            DriftDetected = StatTests.Detects(method, score, threshold),
            Binning = binning,
            Exact = exact,
            ReferenceCount = nRef,
            CurrentCount = nCur,
            Histogram = new DriftHistogram { Categories = categories, ReferenceCounts = r, CurrentCounts = c },
        };
    }

    // Up to this many distinct string instances are counted by identity before falling back to values.
    private const int IdentityLimit = 4096;

    private static Dictionary<string, long> Count(IReadOnlyList<string?> values, out long total)
    {
        // Columns read from files share one string instance per value, so counting by identity
        // (an object-header hash, no pass over the characters) and folding equal strings at the end
        // gives the same counts several times faster; inputs with many distinct instances fall
        // back to counting by value.
        var byInstance = new Dictionary<string, long>(ReferenceEqualityComparer.Instance);
        total = 0;
        var i = 0;
        for (; i < values.Count && byInstance.Count <= IdentityLimit; i++)
        {
            if (values[i] is not { } v)
            {
                continue;
            }

            total++;
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(byInstance, v, out _)++;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in byInstance)
        {
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _) += count;
        }

        for (; i < values.Count; i++)
        {
            if (values[i] is not { } v)
            {
                continue;
            }

            total++;
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, v, out _)++;
        }

        return counts;
    }
}
