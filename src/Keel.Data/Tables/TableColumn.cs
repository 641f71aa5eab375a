namespace Keel.Data.Tables;

/// <summary>A column of an opened table: its name and DuckDB type (e.g. <c>BIGINT</c>, <c>VARCHAR</c>).</summary>
internal sealed record TableColumn(string Name, string DuckType)
{
    public LogicalType Logical => LogicalTypes.Of(DuckType);

    public bool IsNumeric => Logical is LogicalType.Integer or LogicalType.Float;
}
