using Keel.Core.Errors;
using Keel.Core.Tracking;
using Npgsql;
using NpgsqlTypes;

namespace Keel.Storage.Postgres;

/// <summary>
/// The write path of log-batch. The run check and every write travel in one batch (one round
/// trip; with COPY the points follow it): each write joins the run row filtered on <c>active</c>, so for a missing or
/// deleted run it does nothing and the check read back afterwards throws, rolling the transaction
/// back; a changed param is caught the same way. Metric points go as arrays through <c>unnest</c>
/// in the same batch, or by binary COPY after it (see <see cref="MetricWriteMode"/>); first without
/// conflict handling, and when that trips over a stored point, again with <c>ON CONFLICT DO
/// NOTHING</c>, so a retried batch stores each point once. Points and latest values are written in
/// key order, so concurrent batches to one run lock rows in the same order and cannot deadlock.
/// </summary>
internal static class RunDataWriter
{
    /// <summary>Up to this many distinct keys a batch sends each key once and an index per point.</summary>
    private const int MaxIndexedKeys = 32;

    /// <summary>The constraint a write without conflict handling trips over when the batch repeats a stored point (or itself).</summary>
    public const string MetricsPrimaryKey = "metrics_pkey";

    /// <summary>The run's row (if active) joined with the rows of <paramref name="source"/>; $1 is the run id.</summary>
    private static string ActiveRunWith(string source) => $"runs r CROSS JOIN {source} WHERE r.run_id = $1 AND r.lifecycle_stage = 'active'";

    /// <summary>The run's row joined with the rows of <paramref name="source"/>; $1 is the run key.</summary>
    private static string RunKeyWith(string source) => $"runs r CROSS JOIN {source} WHERE r.run_key = $1";

    /// <summary>
    /// Writes one batch in the caller's transaction. With <see cref="MetricWriteMode.Copy"/> or
    /// <see cref="MetricWriteMode.Insert"/> a batch that repeats a stored point fails with a unique
    /// violation on <see cref="MetricsPrimaryKey"/>; the caller then runs it again, in a new
    /// transaction, with <see cref="MetricWriteMode.Unnest"/>.
    /// </summary>
    public static async Task WriteAsync(PgDb db, string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags, MetricWriteMode mode, CancellationToken cancellationToken)
    {
        long runKey;
        await using (var batch = new NpgsqlBatch(db.Connection, db.Transaction))
        {
            Add(batch, "SELECT run_key, lifecycle_stage FROM runs WHERE run_id = $1", runId);
            string[] paramKeys = [];
            if (@params.Count > 0)
            {
                paramKeys = @params.Select(p => p.Key).ToArray();
                Add(batch, $"""
                    INSERT INTO params (run_key, key, value)
                    SELECT r.run_key, u.key, u.value FROM {ActiveRunWith("unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(key, value, n)")}
                    ORDER BY u.n
                    ON CONFLICT (run_key, key) DO NOTHING
                    """, runId, paramKeys, @params.Select(p => p.Value).ToArray());
                Add(batch, "SELECT p.key, p.value FROM params p JOIN runs r ON r.run_key = p.run_key WHERE r.run_id = $1 AND p.key = ANY($2)", runId, paramKeys);
            }

            if (metrics.Count > 0)
            {
                if (mode != MetricWriteMode.Copy)
                {
                    AddPoints(batch, runId, metrics, skipStored: mode == MetricWriteMode.Unnest);
                }

                AddLatest(batch, runId, metrics);
            }

            if (tags.Count > 0)
            {
                AddTags(batch, ActiveRunWith, runId, tags);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw KeelException.NotFound($"Run with id={runId} not found");
            }

            runKey = reader.GetInt64(0);
            LifecycleStages.Parse(reader.GetString(1)).EnsureRunActive(runId);
            if (@params.Count > 0)
            {
                // The stored values of the batch's param keys: the next result set (statements without one are skipped).
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                var stored = new Dictionary<string, string>(StringComparer.Ordinal);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    stored[reader.GetString(0)] = reader.GetString(1);
                }

                CheckParamsUnchanged(runId, @params, stored);
            }
        }

        if (metrics.Count > 0 && mode == MetricWriteMode.Copy)
        {
            await CopyPointsAsync(db, runKey, metrics, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void CheckParamsUnchanged(string runId, IReadOnlyList<Param> @params, Dictionary<string, string> stored)
    {
        foreach (var param in @params)
        {
            if (stored.TryGetValue(param.Key, out var existing) && existing != param.Value)
            {
                throw KeelException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing}' "
                    + $"for run ID='{runId}'. Attempted logging new value '{param.Value}'.");
            }
        }
    }

    /// <summary>Upserts tags of a run already known to exist (run creation, renames); the run name follows its tag.</summary>
    public static async Task UpsertTagsAsync(PgDb db, long runKey, IReadOnlyList<Tag> tags, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(db.Connection, db.Transaction);
        AddTags(batch, RunKeyWith, runKey, tags);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddTags(NpgsqlBatch batch, Func<string, string> runWith, object run, IReadOnlyList<Tag> tags)
    {
        // One row per key, in first-appearance order with the last value (as tags logged one by one would end).
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var tag in tags)
        {
            if (!values.ContainsKey(tag.Key))
            {
                order.Add(tag.Key);
            }

            values[tag.Key] = tag.Value;
        }

        Add(batch, $"""
            INSERT INTO tags (run_key, key, value)
            SELECT r.run_key, u.key, u.value FROM {runWith("unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(key, value, n)")}
            ORDER BY u.n
            ON CONFLICT (run_key, key) DO UPDATE SET value = EXCLUDED.value
            """, run, order.ToArray(), order.Select(k => values[k]).ToArray());
        if (values.TryGetValue(RunRules.RunNameTag, out var runName))
        {
            // The run name and its mlflow.runName tag are one fact in MLflow; keep them together.
            Add(batch, $"UPDATE runs AS target SET name = $2 FROM {runWith("(SELECT 1) AS one")} AND target.run_key = r.run_key", run, runName);
        }
    }

    private static void AddPoints(NpgsqlBatch batch, string runId, IReadOnlyList<Metric> metrics, bool skipStored)
    {
        var sorted = Sorted(metrics);
        var steps = new long[sorted.Length];
        var timestamps = new long[sorted.Length];
        var values = new double[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            (steps[i], timestamps[i], values[i]) = (sorted[i].Step, sorted[i].Timestamp, sorted[i].Value);
        }

        // Target-list unnest (lockstep, no tuplestore) rather than FROM unnest(...): PostgreSQL
        // materialises a table function's rows before reading them, which cost it several percent
        // of a batch. A batch names few keys, so they go once each with a 1-based index per point
        // (the subscript walks the key array, cheap while it is short); many distinct keys go as
        // one key per point.
        var conflict = skipStored ? "ON CONFLICT DO NOTHING" : string.Empty;
        var distinct = DistinctKeys(sorted, out var keyIndexes);
        if (distinct is not null)
        {
            Add(batch, $"""
                INSERT INTO metrics (run_key, key, step, timestamp, value)
                SELECT r.run_key, ($2::text[])[unnest($3::int4[])], unnest($4::int8[]), unnest($5::int8[]), unnest($6::float8[])
                FROM runs r WHERE r.run_id = $1 AND r.lifecycle_stage = 'active'
                {conflict}
                """, runId, distinct, keyIndexes, steps, timestamps, values);
            return;
        }

        var keys = new string[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            keys[i] = sorted[i].Key;
        }

        Add(batch, $"""
            INSERT INTO metrics (run_key, key, step, timestamp, value)
            SELECT r.run_key, unnest($2::text[]), unnest($3::int8[]), unnest($4::int8[]), unnest($5::float8[])
            FROM runs r WHERE r.run_id = $1 AND r.lifecycle_stage = 'active'
            {conflict}
            """, runId, keys, steps, timestamps, values);
    }

    /// <summary>The distinct keys of points sorted by key, and each point's 1-based index into them; null past <see cref="MaxIndexedKeys"/> keys.</summary>
    private static string[]? DistinctKeys(Metric[] sorted, out int[] indexes)
    {
        indexes = new int[sorted.Length];
        var distinct = new List<string>();
        string? previous = null;
        for (var i = 0; i < sorted.Length; i++)
        {
            var key = sorted[i].Key;
            if (!ReferenceEquals(key, previous) && !string.Equals(key, previous, StringComparison.Ordinal))
            {
                if (distinct.Count == MaxIndexedKeys)
                {
                    return null;
                }

                distinct.Add(key);
                previous = key;
            }

            indexes[i] = distinct.Count;
        }

        return [.. distinct];
    }

    /// <summary>
    /// One candidate per key (MLflow's rule: greatest step, then timestamp, then value; NaN never
    /// wins a value tie), upserted with the same rule against the stored value. New keys get their
    /// ord in first-appearance order (nextval runs after the inner ORDER BY), rows are written in key order.
    /// </summary>
    private static void AddLatest(NpgsqlBatch batch, string runId, IReadOnlyList<Metric> metrics)
    {
        var candidates = LatestMetrics.Candidates(metrics);
        Add(batch, $"""
            INSERT INTO latest_metrics AS l (run_key, key, value, timestamp, step, ord)
            SELECT c.run_key, c.key, c.value, c.timestamp, c.step, c.ord FROM (
                SELECT r.run_key, u.key, u.value, u.timestamp, u.step, nextval('latest_metrics_ord') AS ord
                FROM {ActiveRunWith("unnest($2::text[], $3::float8[], $4::int8[], $5::int8[]) WITH ORDINALITY AS u(key, value, timestamp, step, n)")}
                ORDER BY u.n) c
            ORDER BY c.key
            ON CONFLICT (run_key, key) DO UPDATE SET value = EXCLUDED.value, timestamp = EXCLUDED.timestamp, step = EXCLUDED.step
            WHERE EXCLUDED.step > l.step
               OR (EXCLUDED.step = l.step AND EXCLUDED.timestamp > l.timestamp)
               OR (EXCLUDED.step = l.step AND EXCLUDED.timestamp = l.timestamp
                   AND EXCLUDED.value <> 'NaN'::float8 AND l.value <> 'NaN'::float8 AND EXCLUDED.value > l.value)
            """,
            runId,
            candidates.Select(m => m.Key).ToArray(),
            candidates.Select(m => m.Value).ToArray(),
            candidates.Select(m => m.Timestamp).ToArray(),
            candidates.Select(m => m.Step).ToArray());
    }

    /// <summary>
    /// Binary COPY of the points straight into <c>metrics</c>, in primary-key order: no conflict
    /// handling, which is what makes it the fast path (a repeated point fails the whole batch).
    /// </summary>
    private static async Task CopyPointsAsync(PgDb db, long runKey, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        await using var writer = await db.Connection.BeginBinaryImportAsync(
            "COPY metrics (run_key, key, step, timestamp, value) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var metric in Sorted(metrics))
        {
            await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(runKey, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(metric.Key, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(metric.Step, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(metric.Timestamp, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(metric.Value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        }

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points in primary-key order (NaN last within equal step and timestamp, as float8 orders it).</summary>
    private static Metric[] Sorted(IReadOnlyList<Metric> metrics)
    {
        var sorted = metrics.ToArray();
        sorted.AsSpan().Sort(default(PrimaryKeyOrder));
        return sorted;
    }

    /// <summary>A struct comparer, so the sort calls it directly (a Comparison delegate cost a call per comparison).</summary>
    private readonly struct PrimaryKeyOrder : IComparer<Metric>
    {
        public int Compare(Metric a, Metric b)
        {
            // Keys of one batch are mostly the same few strings: equal references skip the ordinal compare.
            var c = ReferenceEquals(a.Key, b.Key) ? 0 : string.CompareOrdinal(a.Key, b.Key);
            if (c != 0)
            {
                return c;
            }

            c = a.Step.CompareTo(b.Step);
            return c != 0 ? c : (c = a.Timestamp.CompareTo(b.Timestamp)) != 0 ? c : a.Value.CompareTo(b.Value);
        }
    }

    private static void Add(NpgsqlBatch batch, string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        batch.BatchCommands.Add(command);
    }
}
