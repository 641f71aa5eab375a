namespace Keel.Compute.Drift;

/// <summary>
/// A mergeable summary of a categorical column: count per category, and an "other" bucket for
/// values beyond the categories a window keeps (a cap on cardinality).
/// </summary>
public sealed record CategoryCounts
{
    /// <summary>Count per category.</summary>
    public required IReadOnlyDictionary<string, long> Counts { get; init; }

    /// <summary>Values folded into "other".</summary>
    public long Other { get; init; }

    /// <summary>Non-missing values in all.</summary>
    public long Count => Counts.Values.Sum() + Other;

    /// <summary>Counts values (null is missing and skipped); beyond <paramref name="maxCategories"/> distinct values the rest go to "other".</summary>
    public static CategoryCounts FromValues(IEnumerable<string?> values, int maxCategories = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(values);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long other = 0;
        foreach (var v in values)
        {
            if (v is null)
            {
                continue;
            }

            if (counts.TryGetValue(v, out var c))
            {
                counts[v] = c + 1;
            }
            else if (counts.Count < maxCategories)
            {
                counts[v] = 1;
            }
            else
            {
                other++;
            }
        }

        return new CategoryCounts { Counts = counts, Other = other };
    }

    /// <summary>Adds two windows' counts.</summary>
    public CategoryCounts Merge(CategoryCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var counts = new Dictionary<string, long>(Counts, StringComparer.Ordinal);
        foreach (var (key, value) in other.Counts)
        {
            counts[key] = counts.GetValueOrDefault(key) + value;
        }

        return new CategoryCounts { Counts = counts, Other = Other + other.Other };
    }
}
