using System.Text.Json.Nodes;
using Keel.Data.Profiling;

namespace Keel.Application.Monitoring;

/// <summary>
/// One column of a monitoring reference, taken from a dataset version's profile: the equal-width
/// histogram (numeric) or the most frequent values (categorical) that current traffic is compared
/// with, and the facts the automatic choice of drift test needs.
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="Kind"><see cref="FeatureSketch.Numeric"/> or <see cref="FeatureSketch.Categorical"/>.</param>
/// <param name="Count">Non-null values in the reference.</param>
/// <param name="Distinct">Distinct values in the reference.</param>
/// <param name="Edges">Numeric: the histogram's bin edges.</param>
/// <param name="Counts">Numeric: values per bin.</param>
/// <param name="Mean">Numeric: the mean.</param>
/// <param name="Std">Numeric: the population standard deviation (ddof 0, as Evidently norms Wasserstein).</param>
/// <param name="Categories">Categorical: counts of the most frequent values.</param>
/// <param name="Other">Categorical: values outside <paramref name="Categories"/>.</param>
internal sealed record ColumnReference(
    string Name,
    string Kind,
    long Count,
    long Distinct,
    double[]? Edges = null,
    long[]? Counts = null,
    double? Mean = null,
    double? Std = null,
    IReadOnlyDictionary<string, long>? Categories = null,
    long Other = 0)
{
    /// <summary>The reference for a profiled column, or null when the profile cannot serve (no histogram, no values).</summary>
    public static ColumnReference? From(ColumnProfile column)
    {
        if (column.Count == 0)
        {
            return null;
        }

        if (column.LogicalType is "integer" or "float")
        {
            if (column.Histogram is not { Edges.Count: >= 2 } histogram)
            {
                return null;
            }

            // Profiles store the sample std (n - 1); Evidently norms by the population std (ddof 0).
            var std = column.Std is { } s && column.Count > 1 ? s * Math.Sqrt((column.Count - 1) / (double)column.Count) : 0;
            return new ColumnReference(
                column.Name, FeatureSketch.Numeric, column.Count, column.DistinctCount,
                [.. histogram.Edges], [.. histogram.Counts], column.Mean, std);
        }

        if (column.TopValues is not { Count: > 0 } top)
        {
            return null;
        }

        var categories = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var value in top)
        {
            categories[CategoryText(value.Value)] = value.Count;
        }

        return new ColumnReference(
            column.Name, FeatureSketch.Categorical, column.Count, column.DistinctCount,
            Categories: categories, Other: Math.Max(0, column.Count - categories.Values.Sum()));
    }

    /// <summary>The text a categorical value is counted under, the same for profiles and logged requests.</summary>
    public static string CategoryText(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    /// <summary>An empty sketch on this reference's bins.</summary>
    public FeatureSketch NewSketch() => Kind == FeatureSketch.Numeric ? FeatureSketch.NewNumeric(Edges!) : FeatureSketch.NewCategorical();
}
