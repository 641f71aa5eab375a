namespace Keel.Data.Profiling;

/// <summary>How much detail a profile keeps.</summary>
public sealed record ProfileOptions
{
    /// <summary>Distinct counts are exact up to this many values; above it they are a HyperLogLog estimate.</summary>
    public int DistinctExactLimit { get; init; } = 100_000;

    /// <summary>Bins of a numeric column's histogram (fewer when an integer column spans fewer values).</summary>
    public int HistogramBins { get; init; } = 30;

    /// <summary>How many most frequent values a categorical column keeps.</summary>
    public int TopValues { get; init; } = 20;

    /// <summary>The default options.</summary>
    public static ProfileOptions Default { get; } = new();
}
