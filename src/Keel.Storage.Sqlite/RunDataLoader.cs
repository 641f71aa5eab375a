using Keel.Core.Tracking;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Loads latest metrics, params, tags and inputs of a set of runs with one query per table (not
/// one per run), each in first-logging order (rowid).
/// </summary>
internal static class RunDataLoader
{
    public static List<Run> Load(SqliteConnection connection, SqliteTransaction? transaction, IReadOnlyList<RunRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var keys = RowReaders.KeyList(rows.Select(r => r.RunKey));
        var metrics = Group<Metric>(connection, transaction,
            $"SELECT run_key, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_key IN ({keys}) ORDER BY rowid",
            r => new Metric(r.GetString(1), RowReaders.ReadMetricValue(r, 2, 3), r.GetInt64(4), r.GetInt64(5)));
        var @params = Group<Param>(connection, transaction,
            $"SELECT run_key, key, value FROM params WHERE run_key IN ({keys}) ORDER BY rowid",
            r => new Param(r.GetString(1), r.GetString(2)));
        var tags = Group<Tag>(connection, transaction,
            $"SELECT run_key, key, value FROM tags WHERE run_key IN ({keys}) ORDER BY rowid",
            r => new Tag(r.GetString(1), r.GetString(2)));
        var inputs = LoadInputs(connection, transaction, keys);

        var runs = new List<Run>(rows.Count);
        foreach (var row in rows)
        {
            runs.Add(new Run(
                row.Info,
                new RunData(Get(metrics, row.RunKey), Get(@params, row.RunKey), Get(tags, row.RunKey)),
                Get(inputs, row.RunKey)));
        }

        return runs;
    }

    private static Dictionary<long, List<DatasetInput>> LoadInputs(SqliteConnection connection, SqliteTransaction? transaction, string keys)
    {
        var inputTags = Group<Tag>(connection, transaction,
            $"SELECT t.input_key, t.key, t.value FROM input_tags t JOIN inputs i ON i.input_key = t.input_key WHERE i.run_key IN ({keys}) ORDER BY t.rowid",
            r => new Tag(r.GetString(1), r.GetString(2)));
        var result = new Dictionary<long, List<DatasetInput>>();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT i.run_key, i.input_key, d.name, d.digest, d.source_type, d.source, d.schema, d.profile "
            + $"FROM inputs i JOIN datasets d ON d.dataset_key = i.dataset_key WHERE i.run_key IN ({keys}) ORDER BY i.input_key";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var dataset = new Dataset(
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7));
            var input = new DatasetInput(dataset, Get(inputTags, reader.GetInt64(1)));
            var runKey = reader.GetInt64(0);
            if (!result.TryGetValue(runKey, out var list))
            {
                result[runKey] = list = [];
            }

            list.Add(input);
        }

        return result;
    }

    private static Dictionary<long, List<T>> Group<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, T> map)
    {
        var result = new Dictionary<long, List<T>>();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var key = reader.GetInt64(0);
            if (!result.TryGetValue(key, out var list))
            {
                result[key] = list = [];
            }

            list.Add(map(reader));
        }

        return result;
    }

    private static IReadOnlyList<T> Get<T>(Dictionary<long, List<T>> groups, long key) =>
        groups.TryGetValue(key, out var list) ? list : [];
}
