namespace Keel.Data.Profiling;

/// <summary>
/// Equal-width bins of a numeric column's finite values: bin i holds values in
/// (<c>Edges[i]</c>, <c>Edges[i+1]</c>], the first bin also holds <c>Edges[0]</c> (the minimum).
/// Integer columns that span at most as many values as there are bins get one bin per value
/// (edges at half-integers).
/// </summary>
/// <param name="Edges">Bin edges, one more than there are bins.</param>
/// <param name="Counts">Values per bin.</param>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);
