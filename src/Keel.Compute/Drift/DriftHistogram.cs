namespace Keel.Compute.Drift;

/// <summary>
/// Reference and current distributions of one column on shared bins, for reports: numeric
/// columns have <see cref="Edges"/> (Count + 1 edges, the last bin closed), categorical columns
/// have <see cref="Categories"/>.
/// </summary>
public sealed record DriftHistogram
{
    /// <summary>Bin edges of a numeric column, or null.</summary>
    public IReadOnlyList<double>? Edges { get; init; }

    /// <summary>Category labels of a categorical column, or null.</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>Reference count per bin or category.</summary>
    public required IReadOnlyList<long> ReferenceCounts { get; init; }

    /// <summary>Current count per bin or category.</summary>
    public required IReadOnlyList<long> CurrentCounts { get; init; }
}
