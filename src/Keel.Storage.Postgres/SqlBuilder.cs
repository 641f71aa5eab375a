using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Search;

namespace Keel.Storage.Postgres;

/// <summary>
/// Accumulates SQL text and positional parameters (<c>$1</c>, <c>$2</c>, ...) for a dynamically
/// built query, and renders the string and numeric predicates shared by every search. Text
/// columns are collated "C", so comparisons and LIKE are code-point exact; LIKE runs with no escape
/// character, so a backslash in a pattern is an ordinary character (as in the SQLite store).
/// </summary>
internal sealed class SqlBuilder
{
    private readonly List<object> _values = [];

    public IReadOnlyList<object> Values => _values;

    public string Add(object value)
    {
        _values.Add(value);
        return "$" + _values.Count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A tag comparison as an EXISTS sub-query. <paramref name="tagRows"/> is a
    /// <c>table t WHERE join-condition</c> fragment whose rows are aliased <c>t</c> (key, value).
    /// A missing tag never matches, except IS NULL.
    /// </summary>
    public string TagPredicate(string tagRows, Comparison c)
    {
        var exists = $"EXISTS (SELECT 1 FROM {tagRows} AND t.key = {Add(c.Key)}";
        return c.Op switch
        {
            Comparator.IsNull => $"NOT {exists})",
            Comparator.IsNotNull => $"{exists})",
            _ => $"{exists} AND {StringPredicate("t.value", c)})",
        };
    }

    public string StringPredicate(string column, Comparison comparison) => comparison.Op switch
    {
        Comparator.Equal => $"{column} = {Add(comparison.StringValue)}",
        Comparator.NotEqual => $"{column} <> {Add(comparison.StringValue)}",
        Comparator.Like => $"{column} LIKE {Add(comparison.StringValue)} ESCAPE ''",
        Comparator.ILike => $"{column} ILIKE {Add(comparison.StringValue)} ESCAPE ''",
        Comparator.In => $"{column} = ANY({Add(comparison.ListValue.ToArray())})",
        Comparator.NotIn => $"NOT ({column} = ANY({Add(comparison.ListValue.ToArray())}))",
        Comparator.IsNull => $"{column} IS NULL",
        Comparator.IsNotNull => $"{column} IS NOT NULL",
        _ => $"{column} {Operator(comparison.Op)} {Add(comparison.Value ?? DBNull.Value)}",
    };

    /// <summary>A predicate on a numeric column (NULL never matches, as a missing value in MLflow).</summary>
    public string NumberPredicate(string column, Comparison comparison) => comparison.Op switch
    {
        Comparator.IsNull => $"{column} IS NULL",
        Comparator.IsNotNull => $"{column} IS NOT NULL",
        Comparator.In or Comparator.NotIn or Comparator.Like or Comparator.ILike => throw Unsupported(comparison),
        _ => $"{column} {Operator(comparison.Op)} {Add(ToNumber(comparison.Value))}",
    };

    public static string Operator(Comparator op) => op switch
    {
        Comparator.Equal => "=",
        Comparator.NotEqual => "<>",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a plain comparison operator"),
    };

    public static KeelException Unsupported(Comparison comparison) =>
        KeelException.InvalidParameter($"Invalid comparator '{comparison.Op}' for {comparison.Entity} '{comparison.Key}'.");

    /// <summary>Numbers are compared as double precision, whatever the column's integer type (a bigint column widens).</summary>
    private static double ToNumber(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw KeelException.InvalidParameter($"Expected a numeric value but got '{value}'."),
    };
}
