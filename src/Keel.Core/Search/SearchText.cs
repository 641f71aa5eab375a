using System.Globalization;
using System.Text;

namespace Keel.Core.Search;

/// <summary>
/// Writes a parsed filter or order-by back as MLflow search text, so a remote store can forward a
/// query that was built as an AST (the SDK, the contract suite) rather than typed as text. Keys are
/// always backticked, so any key survives the round trip through the parser.
/// </summary>
public static class SearchText
{
    /// <summary>The filter as MLflow filter text; null when it has no terms.</summary>
    /// <param name="filter">The parsed filter.</param>
    public static string? Format(IReadOnlyList<Comparison> filter)
    {
        if (filter.Count == 0)
        {
            return null;
        }

        var sb = new StringBuilder();
        foreach (var c in filter)
        {
            if (sb.Length > 0)
            {
                sb.Append(" AND ");
            }

            AppendKey(sb, c.Entity, c.Key);
            sb.Append(' ').Append(Spell(c.Op));
            switch (c.Op)
            {
                case Comparator.IsNull or Comparator.IsNotNull:
                    break;
                case Comparator.In or Comparator.NotIn:
                    sb.Append(" (").AppendJoin(", ", c.ListValue.Select(Quote)).Append(')');
                    break;
                default:
                    sb.Append(' ').Append(c.Value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : Quote(c.StringValue));
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Each clause as MLflow order-by text, e.g. <c>metrics.`acc` DESC</c>.</summary>
    /// <param name="orderBy">The parsed clauses.</param>
    public static IReadOnlyList<string> Format(IReadOnlyList<OrderBy> orderBy) =>
        orderBy.Select(o =>
        {
            var sb = new StringBuilder();
            AppendKey(sb, o.Entity, o.Key);
            return sb.Append(o.Ascending ? " ASC" : " DESC").ToString();
        }).ToList();

    private static void AppendKey(StringBuilder sb, SearchEntity entity, string key) =>
        sb.Append(entity switch
        {
            SearchEntity.Metric => "metrics",
            SearchEntity.Param => "params",
            SearchEntity.Tag => "tags",
            SearchEntity.Dataset => "datasets",
            _ => "attributes",
        }).Append(".`").Append(key).Append('`');

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The comparator as MLflow's filter text spells it.</summary>
    /// <param name="op">The comparator.</param>
    public static string Spell(Comparator op) => op switch
    {
        Comparator.Equal => "=",
        Comparator.NotEqual => "!=",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        Comparator.Like => "LIKE",
        Comparator.ILike => "ILIKE",
        Comparator.In => "IN",
        Comparator.NotIn => "NOT IN",
        Comparator.IsNull => "IS NULL",
        _ => "IS NOT NULL",
    };
}
