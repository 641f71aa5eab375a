namespace Keel.Compute.Search;

/// <summary>
/// The size limits of a search (runs, experiments, registered models, model versions), declared
/// once and checked by the parsers, so a request that would reach a database limit (SQLite: an
/// expression tree 1000 deep, 64 tables in a join, 32766 bound variables, 50000-byte LIKE
/// patterns) is refused with a 400 that names the limit instead of failing inside the store.
/// </summary>
public static class SearchLimits
{
    /// <summary>AND-ed comparisons in one filter.</summary>
    public const int MaxFilterComparisons = 100;

    /// <summary>Values in one filter, every item of an IN list counted.</summary>
    public const int MaxFilterValues = 10_000;

    /// <summary>Characters of a LIKE/ILIKE pattern (a GLOB pattern is at most 4 bytes a character).</summary>
    public const int MaxPatternLength = 10_000;

    /// <summary>Items of order_by (each metric, param or tag key is one join).</summary>
    public const int MaxOrderByClauses = 20;
}
