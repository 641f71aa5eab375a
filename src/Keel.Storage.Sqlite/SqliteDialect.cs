using System.Data.Common;
using Keel.Storage.Sql;

namespace Keel.Storage.Sqlite;

/// <summary>
/// SQLite's side of the shared search SQL. Parameters are named <c>$p0</c>, <c>$p1</c>, ...; LIKE is
/// made case-sensitive by rewriting it as GLOB (see <see cref="LikePatterns"/>), ILIKE compares
/// lower-cased text. A REAL column cannot hold NaN (SQLite turns it into NULL), so a metric's NaN is
/// an is_nan flag beside the value, and is filtered and ordered by that flag.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
        : base("$p", 0)
    {
    }

    public override string True => "1 = 1";

    public override string False => "0 = 1";

    public override string LatestMetricIsNaN => "m.is_nan = 1";

    public override string LatestMetricIsNumber => "m.is_nan = 0";

    public override void Bind(DbCommand command, string placeholder, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = placeholder;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public override string Like(SqlBuilder sql, string column, string pattern) => $"{column} GLOB {sql.Add(LikePatterns.ToGlob(pattern))}";

    public override string ILike(SqlBuilder sql, string column, string pattern) => $"lower({column}) LIKE lower({sql.Add(pattern)})";

    public override string In(SqlBuilder sql, string column, IReadOnlyList<string> values) => $"{column} IN ({List(sql, values)})";

    public override string NotIn(SqlBuilder sql, string column, IReadOnlyList<string> values) => $"{column} NOT IN ({List(sql, values)})";

    /// <summary>Integer ids are inlined as literals: they are parsed numbers, never caller text.</summary>
    public override string InIntegers(SqlBuilder sql, string column, long[] ids) =>
        $"{column} IN ({RowReaders.KeyList(ids)})";

    public override void AddMetricNaNOrder(List<string> terms, string alias, string direction) => terms.Add($"{alias}.is_nan {direction}");

    public override string OrderNullsLowest(string column, bool ascending) => ascending ? $"{column} ASC" : $"{column} DESC";

    private static string List(SqlBuilder sql, IReadOnlyList<string> values) =>
        values.Count == 0 ? "NULL" : string.Join(", ", values.Select(v => sql.Add(v)));
}
