namespace Keel.Data.Validation;

/// <summary>How much each result carries, as in Great Expectations.</summary>
public enum ResultFormatLevel
{
    /// <summary>Only <c>success</c>.</summary>
    BooleanOnly,

    /// <summary>Counts, percentages and <c>partial_unexpected_list</c>.</summary>
    Basic,

    /// <summary>BASIC plus <c>partial_unexpected_counts</c> and <c>partial_unexpected_index_list</c> (the 1.x default).</summary>
    Summary,

    /// <summary>SUMMARY plus the full <c>unexpected_list</c> and <c>unexpected_index_list</c>.</summary>
    Complete,
}
