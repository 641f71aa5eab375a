using System.Data.Common;
using System.Globalization;
using Keel.Core.Tracking;

namespace Keel.Storage.Sql;

/// <summary>
/// Maps the tracking tables' rows as every backend lays them out: runs selected with
/// <see cref="RunSearchSql.RunColumns"/>, experiments with <see cref="ExperimentSearchSql.ExperimentColumns"/>,
/// and a page of runs put together from its grouped child rows.
/// </summary>
internal static class TrackingRows
{
    public static RunRow ReadRun(DbDataReader reader)
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

    public static (long Id, Experiment Experiment) ReadExperiment(DbDataReader reader)
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

    /// <summary>The experiments with their tags attached (those without tags keep the empty list).</summary>
    public static List<Experiment> WithTags(List<(long Id, Experiment Experiment)> rows, Dictionary<long, List<Tag>> tags) =>
        rows.ConvertAll(r => tags.TryGetValue(r.Id, out var list) ? r.Experiment with { Tags = list } : r.Experiment);

    /// <summary>
    /// A dataset input from a row of <c>run_key, input_key, d.name, d.digest, d.source_type, d.source,
    /// d.schema, d.profile</c>, with the input's tags (grouped by input key).
    /// </summary>
    public static DatasetInput ReadInput(DbDataReader reader, Dictionary<long, List<Tag>> inputTags) =>
        new(
            new Dataset(
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)),
            RowGroups.Get(inputTags, reader.GetInt64(1)));

    /// <summary>A row selected with <see cref="DatasetSearchSql.Columns"/>.</summary>
    public static DatasetSummary ReadDatasetSummary(DbDataReader reader) =>
        new(reader.GetInt64(0).ToString(CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));

    /// <summary>The runs of <paramref name="rows"/>, in order, each with its own data (grouped by run key).</summary>
    public static List<Run> Assemble(
        IReadOnlyList<RunRow> rows,
        Dictionary<long, List<Metric>> metrics,
        Dictionary<long, List<Param>> @params,
        Dictionary<long, List<Tag>> tags,
        Dictionary<long, List<DatasetInput>> inputs)
    {
        var runs = new List<Run>(rows.Count);
        foreach (var row in rows)
        {
            runs.Add(new Run(
                row.Info,
                new RunData(RowGroups.Get(metrics, row.RunKey), RowGroups.Get(@params, row.RunKey), RowGroups.Get(tags, row.RunKey)),
                RowGroups.Get(inputs, row.RunKey)));
        }

        return runs;
    }
}
