using System.Data.Common;
using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Tracking;

namespace Keel.Storage.Sql;

/// <summary>
/// Accumulates the parameters of a dynamically built query (named by the backend's
/// <see cref="SqlDialect"/>) and renders the string and numeric predicates every search shares.
/// What differs between engines (LIKE, ILIKE, IN, truth values) is asked of the dialect.
/// </summary>
internal sealed class SqlBuilder(SqlDialect dialect)
{
    private readonly List<object> _values = [];

    /// <summary>The parameter values in placeholder order.</summary>
    public IReadOnlyList<object> Values => _values;

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public string Add(object value)
    {
        _values.Add(value);
        return dialect.Placeholder(_values.Count - 1);
    }

    /// <summary>Adds every parameter to <paramref name="command"/>.</summary>
    public void Bind(DbCommand command)
    {
        for (var i = 0; i < _values.Count; i++)
        {
            dialect.Bind(command, dialect.Placeholder(i), _values[i]);
        }
    }

    /// <summary>The lifecycle-stage filter of a view type.</summary>
    public string StagePredicate(string column, ViewType view) => view switch
    {
        ViewType.ActiveOnly => $"{column} = 'active'",
        ViewType.DeletedOnly => $"{column} = 'deleted'",
        _ => dialect.True,
    };

    /// <summary>
    /// <paramref name="column"/> is one of the ids that parse as non-negative integers; the others
    /// cannot name a row, so they are dropped (and none at all matches nothing).
    /// </summary>
    public string IdPredicate(string column, IReadOnlyList<string> ids)
    {
        var parsed = ParseIds(ids);
        return parsed.Length == 0 ? dialect.False : dialect.InIntegers(this, column, parsed);
    }

    /// <summary>The ids that parse as non-negative integers, in order; other text names no row here.</summary>
    public static long[] ParseIds(IReadOnlyList<string> ids)
    {
        var parsed = new long[ids.Count];
        var count = 0;
        foreach (var id in ids)
        {
            if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                parsed[count++] = n;
            }
        }

        if (count < parsed.Length)
        {
            Array.Resize(ref parsed, count);
        }

        return parsed;
    }

    /// <summary>
    /// A key/value comparison (tag or param) as an EXISTS sub-query. <paramref name="tagRows"/> is a
    /// <c>table t WHERE join-condition</c> fragment whose rows are aliased <c>t</c> (key, value).
    /// A missing key never matches, not even <c>!=</c>; only IS NULL matches it.
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

    /// <summary>A predicate on an attribute's column, numeric or text.</summary>
    public string ColumnPredicate((string Column, bool Numeric) column, Comparison comparison) =>
        column.Numeric ? NumberPredicate(column.Column, comparison) : StringPredicate(column.Column, comparison);

    /// <summary>A predicate on a text column.</summary>
    public string StringPredicate(string column, Comparison comparison) => comparison.Op switch
    {
        Comparator.Equal => $"{column} = {Add(comparison.StringValue)}",
        Comparator.NotEqual => $"{column} <> {Add(comparison.StringValue)}",
        Comparator.Like => dialect.Like(this, column, comparison.StringValue),
        Comparator.ILike => dialect.ILike(this, column, comparison.StringValue),
        Comparator.In => dialect.In(this, column, comparison.ListValue),
        Comparator.NotIn => dialect.NotIn(this, column, comparison.ListValue),
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
        _ => $"{column} {Operator(comparison.Op)} {Add(dialect.Number(ToNumber(comparison.Value)))}",
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
        double or long or int => value,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw KeelException.InvalidParameter($"Expected a numeric value but got '{value}'."),
    };
}
