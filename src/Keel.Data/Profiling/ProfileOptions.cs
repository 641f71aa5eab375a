namespace Keel.Data.Profiling;

/// <summary>How much detail a profile keeps.</summary>
public sealed record ProfileOptions
{
    /// <summary>
    /// Distinct counts are exact when the HyperLogLog estimate is at most this (with 5% slack
    /// for its error), otherwise the estimate. Top values are kept for categorical columns with
    /// at most this many distinct values.
    /// </summary>
    public int DistinctExactLimit { get; init; } = 100_000;

    /// <summary>Bins of a numeric column's histogram (fewer when an integer column spans fewer values).</summary>
    public int HistogramBins { get; init; } = 30;

    /// <summary>How many most frequent values a categorical column keeps.</summary>
    public int TopValues { get; init; } = 20;

    /// <summary>
    /// Tables with up to this many rows get exact quantiles; larger ones get them from a
    /// reservoir of this many values per column (one pass, no sort of the whole column).
    /// </summary>
    public int SampleRows { get; init; } = 100_000;

    /// <summary>The default options.</summary>
    public static ProfileOptions Default { get; } = new();
}
