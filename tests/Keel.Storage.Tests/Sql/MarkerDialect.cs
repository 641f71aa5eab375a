using System.Data.Common;
using Keel.Storage.Sql;

namespace Keel.Storage.Tests.Sql;

/// <summary>A dialect whose every engine-specific fragment is a visible marker, so tests see exactly what the shared translators ask of a backend.</summary>
internal sealed class MarkerDialect : SqlDialect
{
    public MarkerDialect()
        : base(":v", 10)
    {
    }

    public override string True => "<true>";

    public override string False => "<false>";

    public override string LatestMetricIsNaN => "<m is nan>";

    public override string LatestMetricIsNumber => "<m is number>";

    public override void Bind(DbCommand command, string placeholder, object value) => throw new NotSupportedException();

    public override string Like(SqlBuilder sql, string column, string pattern) => $"<like {column} {sql.Add(pattern)}>";

    public override string ILike(SqlBuilder sql, string column, string pattern) => $"<ilike {column} {sql.Add(pattern)}>";

    public override string In(SqlBuilder sql, string column, IReadOnlyList<string> values) => $"<in {column} {sql.Add(values)}>";

    public override string NotIn(SqlBuilder sql, string column, IReadOnlyList<string> values) => $"<not in {column} {sql.Add(values)}>";

    public override string InIntegers(SqlBuilder sql, string column, long[] ids) => $"<ids {column} {string.Join(",", ids)}>";

    public override object Number(object number) => $"number:{number}";

    public override void AddMetricNaNOrder(List<string> terms, string alias, string direction) => terms.Add($"<nan order {alias} {direction}>");

    public override string OrderNullsLowest(string column, bool ascending) => $"<nulls lowest {column} {(ascending ? "asc" : "desc")}>";
}
