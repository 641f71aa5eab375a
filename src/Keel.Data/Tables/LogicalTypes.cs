namespace Keel.Data.Tables;

/// <summary>Maps DuckDB type names to <see cref="LogicalType"/>.</summary>
internal static class LogicalTypes
{
    public static LogicalType Of(string duckType)
    {
        var t = duckType.ToUpperInvariant();
        if (t is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT" or "UHUGEINT")
        {
            return LogicalType.Integer;
        }

        if (t is "FLOAT" or "DOUBLE" or "REAL" || t.StartsWith("DECIMAL", StringComparison.Ordinal))
        {
            return LogicalType.Float;
        }

        if (t == "BOOLEAN")
        {
            return LogicalType.Boolean;
        }

        if (t == "DATE")
        {
            return LogicalType.Date;
        }

        if (t.StartsWith("TIMESTAMP", StringComparison.Ordinal))
        {
            return LogicalType.Timestamp;
        }

        return LogicalType.String;
    }

    public static string Name(LogicalType type) => type switch
    {
        LogicalType.Integer => "integer",
        LogicalType.Float => "float",
        LogicalType.Boolean => "boolean",
        LogicalType.Date => "date",
        LogicalType.Timestamp => "timestamp",
        _ => "string",
    };
}
