using Keel.Core.Tracking;
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
        var metrics = await GroupAsync(reader, r => new Metric(r.GetString(1), r.GetDouble(2), r.GetInt64(3), r.GetInt64(4)), cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var @params = await GroupAsync(reader, r => new Param(r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var tags = await GroupAsync(reader, r => new Tag(r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var inputTags = await GroupAsync(reader, r => new Tag(r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var inputs = await GroupAsync(reader, r => new DatasetInput(
            new Dataset(r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), PgDb.NullableString(r, 6), PgDb.NullableString(r, 7)),
            Get(inputTags, r.GetInt64(1))), cancellationToken).ConfigureAwait(false);

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

    private static void Add(NpgsqlBatch batch, string sql, long[] keys)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = keys });
        batch.BatchCommands.Add(command);
    }

    /// <summary>The rows of the current result set grouped by their first column.</summary>
    private static async Task<Dictionary<long, List<T>>> GroupAsync<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, List<T>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
