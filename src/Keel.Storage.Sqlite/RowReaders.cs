using System.Globalization;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>A run row with its internal surrogate key, which the data loaders join on.</summary>
internal sealed record RunRow(long RunKey, RunInfo Info);

/// <summary>Maps rows selected with <see cref="RunSearchSql.RunColumns"/> and <see cref="ExperimentSearchSql.ExperimentColumns"/>.</summary>
internal static class RowReaders
{
    public static RunRow ReadRun(SqliteDataReader reader)
    {
        RunStatusTransitions.TryParse(reader.GetString(5), out var status);
        return new RunRow(
            reader.GetInt64(0),
            new RunInfo(
                reader.GetString(1),
                reader.GetInt64(2).ToString(CultureInfo.InvariantCulture),
                reader.GetString(3),
                reader.GetString(4),
                status,
                reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetString(8),
                LifecycleStages.Parse(reader.GetString(9))));
    }

    public static (long Id, Experiment Experiment) ReadExperiment(SqliteDataReader reader)
    {
        var id = reader.GetInt64(0);
        return (id, new Experiment(
            id.ToString(CultureInfo.InvariantCulture),
            reader.GetString(1),
            reader.GetString(2),
            LifecycleStages.Parse(reader.GetString(3)),
            reader.GetInt64(4),
            reader.GetInt64(5),
            []));
    }

    public static double ReadMetricValue(SqliteDataReader reader, int valueOrdinal, int isNanOrdinal) =>
        reader.GetInt64(isNanOrdinal) != 0 ? double.NaN : reader.GetDouble(valueOrdinal);

    /// <summary>Integer keys inlined as a literal list: they come from our own rows, never from callers.</summary>
    public static string KeyList(IEnumerable<long> keys) =>
        string.Join(", ", keys.Select(k => k.ToString(CultureInfo.InvariantCulture)));
}
