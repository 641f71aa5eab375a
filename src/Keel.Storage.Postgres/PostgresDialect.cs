using System.Data.Common;
using Keel.Storage.Sql;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>
/// PostgreSQL's side of the shared search SQL. Parameters are positional (<c>$1</c>, <c>$2</c>, ...)
/// so Npgsql sends the SQL as it is; lists travel as one array parameter. Text columns are collated
/// "C", so comparisons and LIKE are code-point exact; LIKE runs with no escape character, so a
/// backslash in a pattern is an ordinary character (as in the SQLite store). NaN is stored as float8
/// NaN, which sorts above every number: ordering by value alone already puts it where MLflow does.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
        : base("$", 1)
    {
    }

    public override string True => "TRUE";

    public override string False => "FALSE";

    public override string LatestMetricIsNaN => "m.value = 'NaN'::float8";

    public override string LatestMetricIsNumber => "m.value <> 'NaN'::float8";

    public override void Bind(DbCommand command, string placeholder, object value) =>
        command.Parameters.Add(new NpgsqlParameter { Value = value });

    public override string Like(SqlBuilder sql, string column, string pattern) => $"{column} LIKE {sql.Add(pattern)} ESCAPE ''";

    public override string ILike(SqlBuilder sql, string column, string pattern) => $"{column} ILIKE {sql.Add(pattern)} ESCAPE ''";

    public override string In(SqlBuilder sql, string column, IReadOnlyList<string> values) => $"{column} = ANY({sql.Add(values.ToArray())})";

    public override string NotIn(SqlBuilder sql, string column, IReadOnlyList<string> values) => $"NOT ({column} = ANY({sql.Add(values.ToArray())}))";

    public override string InIntegers(SqlBuilder sql, string column, long[] ids) => $"{column} = ANY({sql.Add(ids)})";

    /// <summary>Numbers are compared as double precision, whatever the column's integer type (a bigint column widens).</summary>
    public override object Number(object number) => number switch
    {
        long l => (double)l,
        int i => (double)i,
        _ => number,
    };

    public override string OrderNullsLowest(string column, bool ascending) => ascending ? $"{column} ASC NULLS FIRST" : $"{column} DESC NULLS LAST";
}
