namespace Keel.Core.Search;

/// <summary>
/// One term of an AND-ed search filter: <c>entity.key op value</c>. <see cref="Key"/> is the
/// canonical key: for attributes one of the canonical attribute names (e.g. <c>run_name</c>,
/// <c>start_time</c>), never an alias. <see cref="Value"/> is a <see cref="string"/> for string
/// comparisons, a <see cref="double"/> for numeric ones, an <see cref="IReadOnlyList{T}"/> of strings
/// for IN/NOT IN, and null for IS [NOT] NULL.
/// </summary>
/// <param name="Entity">What the key refers to.</param>
/// <param name="Key">The canonical key.</param>
/// <param name="Op">The operator.</param>
/// <param name="Value">The operand; its type follows <paramref name="Op"/> (see above).</param>
public sealed record Comparison(SearchEntity Entity, string Key, Comparator Op, object? Value)
{
    /// <summary>The operand of a string comparison.</summary>
    public string StringValue => (string)Value!;

    /// <summary>The operand of a numeric comparison.</summary>
    public double NumberValue => (double)Value!;

    /// <summary>The operand of IN and NOT IN.</summary>
    public IReadOnlyList<string> ListValue => (IReadOnlyList<string>)Value!;
}

/// <summary>One order-by clause.</summary>
/// <param name="Entity">What the key refers to.</param>
/// <param name="Key">The canonical key.</param>
/// <param name="Ascending">True for ASC.</param>
public sealed record OrderBy(SearchEntity Entity, string Key, bool Ascending);
