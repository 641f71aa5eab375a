namespace Keel.Core.Search;

/// <summary>
/// One term of an AND-ed search filter: <c>entity.key op value</c>. <see cref="Key"/> is the
/// canonical key: for attributes one of the canonical attribute names (e.g. <c>run_name</c>,
/// <c>start_time</c>), never an alias. <see cref="Value"/> is a <see cref="string"/> for string
/// comparisons, a <see cref="double"/> for numeric ones, an <see cref="IReadOnlyList{T}"/> of strings
/// for IN/NOT IN, and null for IS [NOT] NULL.
/// </summary>
public sealed record Comparison(SearchEntity Entity, string Key, Comparator Op, object? Value)
{
    public string StringValue => (string)Value!;

    public double NumberValue => (double)Value!;

    public IReadOnlyList<string> ListValue => (IReadOnlyList<string>)Value!;
}

/// <summary>One order-by clause.</summary>
public sealed record OrderBy(SearchEntity Entity, string Key, bool Ascending);
