using System.Data.Common;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
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
        var metrics = Group(connection, transaction,
            $"SELECT run_key, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_key IN ({keys}) ORDER BY rowid",
            r => new Metric(r.GetString(1), RowReaders.ReadMetricValue(r, 2, 3), r.GetInt64(4), r.GetInt64(5)));
        var @params = Group(connection, transaction,
            $"SELECT run_key, key, value FROM params WHERE run_key IN ({keys}) ORDER BY rowid",
            r => new Param(r.GetString(1), r.GetString(2)));
        var tags = Group(connection, transaction,
            $"SELECT run_key, key, value FROM tags WHERE run_key IN ({keys}) ORDER BY rowid",
            r => new Tag(r.GetString(1), r.GetString(2)));
        var inputTags = Group(connection, transaction,
            $"SELECT t.input_key, t.key, t.value FROM input_tags t JOIN inputs i ON i.input_key = t.input_key WHERE i.run_key IN ({keys}) ORDER BY t.rowid",
            r => new Tag(r.GetString(1), r.GetString(2)));
        var inputs = Group(connection, transaction,
            "SELECT i.run_key, i.input_key, d.name, d.digest, d.source_type, d.source, d.schema, d.profile "
            + $"FROM inputs i JOIN datasets d ON d.dataset_key = i.dataset_key WHERE i.run_key IN ({keys}) ORDER BY i.input_key",
            r => TrackingRows.ReadInput(r, inputTags));

        return TrackingRows.Assemble(rows, metrics, @params, tags, inputs);
    }

    private static Dictionary<long, List<T>> Group<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<DbDataReader, T> map)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return RowGroups.ByFirstColumn(reader, map);
    }
}
