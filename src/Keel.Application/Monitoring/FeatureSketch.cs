using System.Text.Json.Serialization;

namespace Keel.Application.Monitoring;

/// <summary>
/// A mergeable summary of one column over a bucket: for numeric columns, counts on the reference's
/// histogram bins (plus values below and above them) with count, sum, sum of squares, min and max;
/// for categorical columns, counts per value (the first <see cref="MaxCategories"/> distinct
/// values, the rest counted as other). Two sketches on the same bins merge by adding counts, so a
/// day's window is the merge of its buckets, not a second pass over the prediction log.
/// </summary>
internal sealed class FeatureSketch
{
    /// <summary>Distinct values a categorical sketch tracks by name; more go to <see cref="Other"/>.</summary>
    public const int MaxCategories = 1_000;

    public const string Numeric = "num";
    public const string Categorical = "cat";

    public string Kind { get; set; } = Numeric;

    public double[]? Edges { get; set; }

    public long[]? Counts { get; set; }

    public long Under { get; set; }

    public long Over { get; set; }

    public long Count { get; set; }

    public long Missing { get; set; }

    public double Sum { get; set; }

    public double SumSquares { get; set; }

    public double? Min { get; set; }

    public double? Max { get; set; }

    public Dictionary<string, long>? Categories { get; set; }

    public long Other { get; set; }

    [JsonIgnore]
    public bool IsNumeric => Kind == Numeric;

    public static FeatureSketch NewNumeric(IReadOnlyList<double> edges) =>
        new() { Kind = Numeric, Edges = [.. edges], Counts = new long[Math.Max(0, edges.Count - 1)] };

    public static FeatureSketch NewCategorical() => new() { Kind = Categorical, Categories = new Dictionary<string, long>(StringComparer.Ordinal) };

    /// <summary>An empty sketch on the same bins (or kind) as this one.</summary>
    public FeatureSketch EmptyLike() => IsNumeric ? NewNumeric(Edges ?? []) : NewCategorical();

    public void AddNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            Missing++;
            return;
        }

        Count++;
        Sum += value;
        SumSquares += value * value;
        Min = Min is { } min ? Math.Min(min, value) : value;
        Max = Max is { } max ? Math.Max(max, value) : value;
        var edges = Edges;
        if (edges is null || edges.Length < 2)
        {
            return;
        }

        if (value < edges[0])
        {
            Under++;
        }
        else if (value > edges[^1])
        {
            Over++;
        }
        else
        {
            Counts![BinOf(edges, value)]++;
        }
    }

    public void AddCategory(string value)
    {
        Count++;
        var categories = Categories ??= new Dictionary<string, long>(StringComparer.Ordinal);
        if (categories.TryGetValue(value, out var n))
        {
            categories[value] = n + 1;
        }
        else if (categories.Count < MaxCategories)
        {
            categories[value] = 1;
        }
        else
        {
            Other++;
        }
    }

    public void AddMissing() => Missing++;

    /// <summary>Adds <paramref name="other"/> into this sketch; false (and nothing changed) when their bins differ.</summary>
    public bool Merge(FeatureSketch other)
    {
        if (other.Kind != Kind || (IsNumeric && !SameEdges(Edges, other.Edges)))
        {
            return false;
        }

        Count += other.Count;
        Missing += other.Missing;
        Sum += other.Sum;
        SumSquares += other.SumSquares;
        Under += other.Under;
        Over += other.Over;
        Other += other.Other;
        Min = Pick(Min, other.Min, Math.Min);
        Max = Pick(Max, other.Max, Math.Max);
        if (Counts is not null && other.Counts is not null)
        {
            for (var i = 0; i < Counts.Length; i++)
            {
                Counts[i] += other.Counts[i];
            }
        }

        if (other.Categories is not null)
        {
            foreach (var (value, n) in other.Categories)
            {
                var categories = Categories ??= new Dictionary<string, long>(StringComparer.Ordinal);
                if (categories.TryGetValue(value, out var had))
                {
                    categories[value] = had + n;
                }
                else if (categories.Count < MaxCategories)
                {
                    categories[value] = n;
                }
                else
                {
                    Other += n;
                }
            }
        }

        return true;
    }

    /// <summary>Mean of the numeric values, or null.</summary>
    public double? Mean() => Count > 0 && IsNumeric ? Sum / Count : null;

    /// <summary>Population standard deviation (ddof 0) of the numeric values, or null.</summary>
    public double? Std()
    {
        if (Count == 0 || !IsNumeric)
        {
            return null;
        }

        var mean = Sum / Count;
        return Math.Sqrt(Math.Max(0, (SumSquares / Count) - (mean * mean)));
    }

    // Bin i holds (edges[i], edges[i+1]]; the first also holds edges[0] (the profile's convention).
    internal static int BinOf(double[] edges, double value)
    {
        var i = Array.BinarySearch(edges, value);
        if (i >= 0)
        {
            return Math.Max(0, i - 1);
        }

        return Math.Min(edges.Length - 2, Math.Max(0, ~i - 1));
    }

    private static double? Pick(double? a, double? b, Func<double, double, double> f) =>
        a is { } x ? (b is { } y ? f(x, y) : x) : b;

    private static bool SameEdges(double[]? a, double[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
