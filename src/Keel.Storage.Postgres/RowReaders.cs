using System.Globalization;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>A run row with its internal surrogate key, which the data loaders join on.</summary>
internal sealed record RunRow(long RunKey, RunInfo Info);

/// <summary>Maps rows selected with <see cref="RunSearchSql.RunColumns"/> and <see cref="ExperimentSearchSql.ExperimentColumns"/>.</summary>
internal static class RowReaders
{
    public static RunRow ReadRun(NpgsqlDataReader reader)
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

    public static (long Id, Experiment Experiment) ReadExperiment(NpgsqlDataReader reader)
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
}
