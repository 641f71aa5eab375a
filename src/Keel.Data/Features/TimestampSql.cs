namespace Keel.Data.Features;

/// <summary>
/// Turns a time column of any usual shape into a UTC <c>TIMESTAMP</c> (the connection runs with
/// <c>TimeZone = 'UTC'</c>): TIMESTAMP (taken as UTC), TIMESTAMPTZ (converted), DATE (midnight UTC),
/// ISO-8601 text (an offset is honoured, none means UTC) and epoch numbers (below 1e11 they are
/// seconds, i.e. up to the year 5138; above, milliseconds).
/// </summary>
internal static class TimestampSql
{
    /// <summary>Epoch values under this are seconds, above it milliseconds (1e11 ms is March 1973).</summary>
    public const long SecondsBelow = 100_000_000_000;

    public static string ToUtc(string expression, string duckType, Func<Exception> unusable)
    {
        var type = duckType.ToUpperInvariant();
        if (type == "TIMESTAMP")
        {
            return expression;
        }

        if (type.StartsWith("TIMESTAMP", StringComparison.Ordinal) || type == "DATE")
        {
            return $"CAST({expression} AS TIMESTAMP)";
        }

        if (type == "VARCHAR")
        {
            return $"CAST(CAST({expression} AS TIMESTAMPTZ) AS TIMESTAMP)";
        }

        if (type is "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "HUGEINT" or "UBIGINT" or "UINTEGER" or "USMALLINT" or "UTINYINT")
        {
            return $"(CASE WHEN abs({expression}) < {SecondsBelow} THEN make_timestamp(CAST({expression} AS BIGINT) * 1000000) ELSE make_timestamp(CAST({expression} AS BIGINT) * 1000) END)";
        }

        if (type is "DOUBLE" or "FLOAT" || type.StartsWith("DECIMAL", StringComparison.Ordinal))
        {
            return $"(CASE WHEN abs({expression}) < {SecondsBelow} THEN make_timestamp(CAST(round({expression} * 1000000) AS BIGINT)) ELSE make_timestamp(CAST(round({expression} * 1000) AS BIGINT)) END)";
        }

        throw unusable();
    }
}
