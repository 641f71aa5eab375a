using System.Data.Common;
using System.Text.Json;
using Keel.Core.Monitoring;
using Keel.Storage.Sql;

namespace Keel.Storage.Monitoring;

/// <summary>
/// The monitoring store's SQL, written once for SQLite and PostgreSQL. Batches of labels and
/// indexed predictions travel as one JSON array parameter that the database expands into rows
/// (SQLite's <c>json_each</c>, PostgreSQL's <c>jsonb_array_elements</c>), so a batch of 50,000 is one
/// statement, not 50,000 round trips; the dialects differ only in that table function.
/// </summary>
internal sealed class MonitoringRecords : PortableSql
{
    // Ends the SELECT of every batch upsert. "WHERE true" because SQLite otherwise reads the ON of
    // ON CONFLICT as a join constraint of the FROM (a syntax error); the order because PostgreSQL locks
    // the rows it upserts in the order it inserts them, and two batches that share request ids in
    // different orders would each wait for a row the other holds (a deadlock) unless both go in
    // request-id order.
    private const string UpsertOrder = "WHERE true ORDER BY j.value ->> 0";

    private readonly string _rows;
    private readonly TimeProvider _time;

    /// <param name="namedParameters">True for SQLite, false for PostgreSQL.</param>
    /// <param name="time">The clock for receipt times.</param>
    public MonitoringRecords(bool namedParameters, TimeProvider time)
        : base(namedParameters)
    {
        // "j.value ->> N" reads element N of each row array as text in both databases.
        _rows = namedParameters ? "json_each({0}) AS j" : "jsonb_array_elements(CAST({0} AS jsonb)) AS j(value)";
        _time = time;
    }

    public async Task PutBucketAsync(DbConnection connection, DbTransaction transaction, MonitoringBucket bucket, IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellationToken)
    {
        var start = bucket.Start.ToUnixTimeMilliseconds();
        // A recomputed bucket keeps the quality already computed; its predictions are re-indexed and
        // their labels marked stale so the quality follows the new index.
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO monitoring_buckets (endpoint, start_ms, seconds, requests, stats, computed_at, quality) VALUES ($1, $2, $3, $4, $5, $6, NULL) "
            + "ON CONFLICT (endpoint, start_ms) DO UPDATE SET seconds = excluded.seconds, requests = excluded.requests, stats = excluded.stats, computed_at = excluded.computed_at",
            bucket.Endpoint, start, bucket.Seconds, bucket.Requests, bucket.Stats, bucket.ComputedAt.ToUnixTimeMilliseconds()).ConfigureAwait(false);
        if (predictions.Count == 0)
        {
            return;
        }

        var rows = JsonSerializer.Serialize(predictions.Select(p => new[] { p.RequestId, p.Version, p.Predicted, p.Scores }), MonitoringJson.Default.StringArrayArray);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO monitoring_predictions (endpoint, request_id, bucket_ms, version, predicted, scores) "
            + $"SELECT $1, j.value ->> 0, $2, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM {Rows("$3")} {UpsertOrder} "
            + "ON CONFLICT (endpoint, request_id) DO UPDATE SET bucket_ms = excluded.bucket_ms, version = excluded.version, predicted = excluded.predicted, scores = excluded.scores",
            bucket.Endpoint, start, rows).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            $"UPDATE monitoring_labels SET pending = 1 WHERE endpoint = $1 AND pending = 0 AND request_id IN (SELECT j.value ->> 0 FROM {Rows("$2")})",
            bucket.Endpoint, rows).ConfigureAwait(false);
    }

    public Task<List<MonitoringBucket>> ListBucketsAsync(DbConnection connection, string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ListAsync(
            connection, null, cancellationToken,
            r => new MonitoringBucket(
                r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetInt32(2), r.GetInt64(3), r.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.IsDBNull(6) ? null : r.GetString(6)),
            "SELECT endpoint, start_ms, seconds, requests, stats, computed_at, quality FROM monitoring_buckets WHERE endpoint = $1 AND start_ms >= $2 AND start_ms < $3 ORDER BY start_ms",
            endpoint, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());

    public async Task<DateTimeOffset?> LatestBucketEndAsync(DbConnection connection, string endpoint, CancellationToken cancellationToken)
    {
        var end = await ScalarAsync(connection, null, cancellationToken, "SELECT MAX(start_ms + seconds * 1000) FROM monitoring_buckets WHERE endpoint = $1", endpoint).ConfigureAwait(false);
        return end is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(end, System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<FeedbackOutcome> AddLabelsAsync(DbConnection connection, DbTransaction transaction, string endpoint, IReadOnlyList<FeedbackLabel> labels, CancellationToken cancellationToken)
    {
        var rows = JsonSerializer.Serialize(labels.Select(l => new[] { l.RequestId, l.Label }), MonitoringJson.Default.StringArrayArray);
        // Counted with IN (request ids are distinct within a batch), not a join: SQLite would plan the
        // join with the endpoint's stored rows outside and rescan the batch for each, quadratic in size.
        var replaced = await CountAsync(
            connection, transaction, cancellationToken,
            $"SELECT COUNT(*) FROM monitoring_labels WHERE endpoint = $1 AND request_id IN (SELECT j.value ->> 0 FROM {Rows("$2")})", endpoint, rows).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO monitoring_labels (endpoint, request_id, label, received_at, replaced, pending) "
            + $"SELECT $1, j.value ->> 0, j.value ->> 1, $3, 0, 1 FROM {Rows("$2")} {UpsertOrder} "
            + "ON CONFLICT (endpoint, request_id) DO UPDATE SET label = excluded.label, received_at = excluded.received_at, replaced = monitoring_labels.replaced + 1, pending = 1",
            endpoint, rows, _time.GetUtcNow().ToUnixTimeMilliseconds()).ConfigureAwait(false);
        var matched = await CountAsync(
            connection, transaction, cancellationToken,
            $"SELECT COUNT(*) FROM monitoring_predictions WHERE endpoint = $1 AND request_id IN (SELECT j.value ->> 0 FROM {Rows("$2")})", endpoint, rows).ConfigureAwait(false);
        return new FeedbackOutcome(labels.Count, replaced, matched, labels.Count - matched);
    }

    public async Task<List<DateTimeOffset>> StaleQualityBucketsAsync(DbConnection connection, string endpoint, CancellationToken cancellationToken) =>
        (await ListAsync(
            connection, null, cancellationToken, r => r.GetInt64(0),
            "SELECT DISTINCT p.bucket_ms FROM monitoring_labels l JOIN monitoring_predictions p ON p.endpoint = l.endpoint AND p.request_id = l.request_id "
            + "WHERE l.endpoint = $1 AND l.pending = 1 ORDER BY p.bucket_ms",
            endpoint).ConfigureAwait(false)).ConvertAll(DateTimeOffset.FromUnixTimeMilliseconds);

    public Task<List<LabeledPrediction>> ReadLabeledAsync(DbConnection connection, string endpoint, DateTimeOffset bucketStart, CancellationToken cancellationToken) =>
        ListAsync(
            connection, null, cancellationToken,
            r => new LabeledPrediction(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)),
            "SELECT p.request_id, p.version, p.predicted, p.scores, l.label FROM monitoring_predictions p JOIN monitoring_labels l ON l.endpoint = p.endpoint AND l.request_id = p.request_id "
            + "WHERE p.endpoint = $1 AND p.bucket_ms = $2 ORDER BY p.request_id",
            endpoint, bucketStart.ToUnixTimeMilliseconds());

    public async Task PutQualityAsync(DbConnection connection, DbTransaction transaction, string endpoint, DateTimeOffset bucketStart, string quality, DateTimeOffset readAt, CancellationToken cancellationToken)
    {
        var start = bucketStart.ToUnixTimeMilliseconds();
        await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE monitoring_buckets SET quality = $3 WHERE endpoint = $1 AND start_ms = $2", endpoint, start, quality).ConfigureAwait(false);
        // Only labels received before the read are counted; one that arrived during the computation keeps the bucket stale.
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "UPDATE monitoring_labels SET pending = 0 WHERE endpoint = $1 AND pending = 1 AND received_at < $3 "
            + "AND request_id IN (SELECT request_id FROM monitoring_predictions WHERE endpoint = $1 AND bucket_ms = $2)",
            endpoint, start, readAt.ToUnixTimeMilliseconds()).ConfigureAwait(false);
    }

    public async Task<LabelSummary> LabelSummaryAsync(DbConnection connection, string endpoint, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, null, cancellationToken,
            r => new LabelSummary(r.GetInt64(0), r.GetInt64(1), r.GetInt64(0) - r.GetInt64(1), r.GetInt64(2)),
            "SELECT COUNT(*), COUNT(p.request_id), COALESCE(SUM(l.replaced), 0) FROM monitoring_labels l "
            + "LEFT JOIN monitoring_predictions p ON p.endpoint = l.endpoint AND p.request_id = l.request_id WHERE l.endpoint = $1",
            endpoint).ConfigureAwait(false);
        return rows[0];
    }

    public async Task<long> PurgeAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset bucketsBefore, DateTimeOffset unmatchedLabelsBefore, CancellationToken cancellationToken)
    {
        var before = bucketsBefore.ToUnixTimeMilliseconds();
        long deleted = await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM monitoring_buckets WHERE start_ms < $1", before).ConfigureAwait(false);
        deleted += await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM monitoring_predictions WHERE bucket_ms < $1", before).ConfigureAwait(false);
        deleted += await ExecuteAsync(
            connection, transaction, cancellationToken,
            "DELETE FROM monitoring_labels WHERE received_at < $1 AND NOT EXISTS "
            + "(SELECT 1 FROM monitoring_predictions p WHERE p.endpoint = monitoring_labels.endpoint AND p.request_id = monitoring_labels.request_id)",
            unmatchedLabelsBefore.ToUnixTimeMilliseconds()).ConfigureAwait(false);
        return deleted;
    }

    public async Task<MonitoringSettings?> GetSettingsAsync(DbConnection connection, string endpoint, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, null, cancellationToken,
            r => new MonitoringSettings(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))),
            "SELECT endpoint, reference, drift, updated_at FROM monitoring_settings WHERE endpoint = $1", endpoint).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<int> PutSettingsAsync(DbConnection connection, DbTransaction transaction, MonitoringSettings settings, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO monitoring_settings (endpoint, reference, drift, updated_at) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (endpoint) DO UPDATE SET reference = excluded.reference, drift = excluded.drift, updated_at = excluded.updated_at",
            settings.Endpoint, settings.Reference, settings.Drift, settings.UpdatedAt.ToUnixTimeMilliseconds());

    public async Task DeleteEndpointAsync(DbConnection connection, DbTransaction transaction, string endpoint, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "monitoring_buckets", "monitoring_predictions", "monitoring_labels", "monitoring_settings" })
        {
            await ExecuteAsync(connection, transaction, cancellationToken, $"DELETE FROM {table} WHERE endpoint = $1", endpoint).ConfigureAwait(false);
        }
    }

    private string Rows(string parameter) => string.Format(System.Globalization.CultureInfo.InvariantCulture, _rows, parameter);

    private async Task<long> CountAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken, string sql, params object?[] values) =>
        Convert.ToInt64(await ScalarAsync(connection, transaction, cancellationToken, sql, values).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
}
