using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>
/// Loads latest metrics, params, tags and inputs of a set of runs in one round trip (a batch of
/// one query per table, not one per run), each in first-logging order.
/// </summary>
internal static class RunDataLoader
{
    public static async Task<List<Run>> LoadAsync(PgDb db, IReadOnlyList<RunRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var keys = rows.Select(r => r.RunKey).ToArray();
        await using var batch = new NpgsqlBatch(db.Connection, db.Transaction);
        Add(batch, "SELECT run_key, key, value, timestamp, step FROM latest_metrics WHERE run_key = ANY($1) ORDER BY ord", keys);
        Add(batch, "SELECT run_key, key, value FROM params WHERE run_key = ANY($1) ORDER BY ord", keys);
        Add(batch, "SELECT run_key, key, value FROM tags WHERE run_key = ANY($1) ORDER BY ord", keys);
        Add(batch, "SELECT t.input_key, t.key, t.value FROM input_tags t JOIN inputs i ON i.input_key = t.input_key WHERE i.run_key = ANY($1) ORDER BY t.ord", keys);
        Add(batch, "SELECT i.run_key, i.input_key, d.name, d.digest, d.source_type, d.source, d.schema, d.profile "
            + "FROM inputs i JOIN datasets d ON d.dataset_key = i.dataset_key WHERE i.run_key = ANY($1) ORDER BY i.input_key", keys);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var metrics = await RowGroups.ByFirstColumnAsync(reader, r => new Metric(r.GetString(1), r.GetDouble(2), r.GetInt64(3), r.GetInt64(4)), cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var @params = await RowGroups.ByFirstColumnAsync(reader, r => new Param(r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var tags = await RowGroups.ByFirstColumnAsync(reader, r => new Tag(r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var inputTags = await RowGroups.ByFirstColumnAsync(reader, r => new Tag(r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var inputs = await RowGroups.ByFirstColumnAsync(reader, r => TrackingRows.ReadInput(r, inputTags), cancellationToken).ConfigureAwait(false);

        return TrackingRows.Assemble(rows, metrics, @params, tags, inputs);
    }

    private static void Add(NpgsqlBatch batch, string sql, long[] keys)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = keys });
        batch.BatchCommands.Add(command);
    }
}
