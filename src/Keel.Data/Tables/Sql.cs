using System.Globalization;

namespace Keel.Data.Tables;

/// <summary>Quoting for the SQL Keel writes for DuckDB; every name and literal goes through here.</summary>
internal static class Sql
{
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Str(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Num(double value)
    {
        if (double.IsNaN(value))
        {
            return "'NaN'::DOUBLE";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
        }

        return value.ToString("R", CultureInfo.InvariantCulture) + "::DOUBLE";
    }

    public static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string StrList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Str)) + "]";
}
