using System.Data.Common;
using System.Globalization;

namespace Keel.Storage.Sqlite;

/// <summary>What only SQLite's rows need: NaN kept as a flag beside the value, key lists inlined as literals, and a synchronous read of every row.</summary>
internal static class RowReaders
{
    public static double ReadMetricValue(DbDataReader reader, int valueOrdinal, int isNanOrdinal) =>
        reader.GetInt64(isNanOrdinal) != 0 ? double.NaN : reader.GetDouble(valueOrdinal);

    /// <summary>Integer keys inlined as a literal list: they come from our own rows, never from callers.</summary>
    public static string KeyList(IEnumerable<long> keys) =>
        string.Join(", ", keys.Select(k => k.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Every row of <paramref name="command"/>, mapped, in order.</summary>
    public static List<T> ReadAll<T>(DbCommand command, Func<DbDataReader, T> map, int capacity = 0)
    {
        var rows = new List<T>(capacity);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
