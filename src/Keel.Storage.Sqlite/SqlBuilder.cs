using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Search;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Accumulates SQL text and numbered parameters for a dynamically built query, and renders the
/// string and numeric predicates shared by run and experiment search.
/// </summary>
internal sealed class SqlBuilder
{
    private readonly List<(string Name, object Value)> _parameters = [];

    public string Add(object value)
    {
        var name = "$p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value));
        return name;
    }

    public void Bind(SqliteCommand command)
    {
        foreach (var (name, value) in _parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    /// <summary>A predicate on a text column; LIKE is case-sensitive (GLOB), ILIKE is not.</summary>
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
        Comparator.Like => $"{column} GLOB {Add(LikePatterns.ToGlob(comparison.StringValue))}",
        Comparator.ILike => $"lower({column}) LIKE lower({Add(comparison.StringValue)})",
        Comparator.In => $"{column} IN ({List(comparison.ListValue)})",
        Comparator.NotIn => $"{column} NOT IN ({List(comparison.ListValue)})",
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

    private static object ToNumber(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw KeelException.InvalidParameter($"Expected a numeric value but got '{value}'."),
    };

    private string List(IReadOnlyList<string> values) =>
        values.Count == 0 ? "NULL" : string.Join(", ", values.Select(v => Add(v)));
}
