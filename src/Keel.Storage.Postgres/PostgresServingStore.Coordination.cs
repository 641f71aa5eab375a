using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Storage.Records;
using Npgsql;
using NpgsqlTypes;

namespace Keel.Storage.Postgres;

// The change feed, leases and rollout statistics on PostgreSQL. Times that decide a lease come from
// the database's clock, so replicas on machines whose clocks drift still agree on who leads.
public sealed partial class PostgresServingStore
{
    /// <summary>The channel every serving change is announced on (payload: its sequence).</summary>
    public const string Channel = "keel_serving";

    private const string NowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    private readonly object _listenerGate = new();
    private PostgresChangeListener? _listener;

    public Task<IReadOnlyList<ServingChange>> ChangesSinceAsync(long after, int maxResults, CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<ServingChange>>(async db =>
            await db.ListAsync(
                "SELECT seq, endpoint, version FROM serving_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                r => new ServingChange(r.GetInt64(0), r.GetString(1), r.GetInt64(2)), cancellationToken, after, (long)maxResults).ConfigureAwait(false),
            cancellationToken);

    public Task<long> LatestChangeAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(async db => await db.ScalarAsync("SELECT COALESCE(MAX(seq), 0) FROM serving_changes", cancellationToken).ConfigureAwait(false) is long seq ? seq : 0L, cancellationToken);

    public async Task<bool> WaitForChangeAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var woken = Listener().WaitAsync(timeout, cancellationToken);
        // A change committed before the listener was up (or between two waits) is in the feed already.
        if (await LatestChangeAsync(cancellationToken).ConfigureAwait(false) > after)
        {
            return true;
        }

        return await woken.ConfigureAwait(false);
    }

    public Task<LeaseFence?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db =>
        {
            var rows = await db.ListAsync(
                $"""
                INSERT INTO leases (name, holder, epoch, expires_at) VALUES ($1, $2, 1, {NowMs} + $3)
                ON CONFLICT (name) DO UPDATE SET
                    epoch = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > {NowMs} THEN leases.epoch ELSE leases.epoch + 1 END,
                    holder = excluded.holder,
                    expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= {NowMs}
                RETURNING epoch
                """,
                r => r.GetInt64(0), cancellationToken, name, holder, (long)duration.TotalMilliseconds).ConfigureAwait(false);
            return rows.Count == 0 ? null : new LeaseFence(name, holder, rows[0]);
        }, cancellationToken);

    public Task ReleaseAsync(LeaseFence fence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fence);
        return _db.WriteAsync(
            db => db.ExecuteAsync("UPDATE leases SET expires_at = 0 WHERE name = $1 AND holder = $2 AND epoch = $3", cancellationToken, fence.Name, fence.Holder, fence.Epoch),
            cancellationToken);
    }

    public Task PublishStatsAsync(IReadOnlyList<RouteStepStats> stats, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return _db.WriteAsync(async db =>
        {
            foreach (var s in stats)
            {
                await db.ExecuteAsync(
                    """
                    INSERT INTO serving_stats (endpoint, rollout_id, step_index, model_uri, role, replica, requests, errors, latency, samples, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    ON CONFLICT (endpoint, rollout_id, step_index, model_uri, role, replica) DO UPDATE SET
                        requests = excluded.requests, errors = excluded.errors, latency = excluded.latency, samples = excluded.samples, updated_at = excluded.updated_at
                    """,
                    cancellationToken, s.Endpoint, s.RolloutId, s.StepIndex, s.ModelUri, StoredNames.Of(s.Role), s.Replica, s.Requests, s.Errors,
                    Json(StatsColumns.Latency(s)), Json(StatsColumns.Samples(s)), s.UpdatedAt).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RouteStepStats>> ReadStatsAsync(string endpoint, string rolloutId, CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<RouteStepStats>>(async db =>
            await db.ListAsync(
                "SELECT endpoint, rollout_id, step_index, model_uri, role, replica, requests, errors, latency::text, samples::text, updated_at FROM serving_stats "
                + "WHERE endpoint = $1 AND rollout_id = $2 ORDER BY step_index, replica, role",
                r => StatsColumns.Read(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt64(6), r.GetInt64(7), r.GetString(8), r.GetString(9), r.GetInt64(10)),
                cancellationToken, endpoint, rolloutId).ConfigureAwait(false),
            cancellationToken);

    // A leader's write is applied only while its epoch is the lease's current one and unexpired. The
    // row is locked until commit, so a takeover cannot slip in between the check and the write.
    private static async Task CheckFenceAsync(PgDb db, LeaseFence? fence, CancellationToken cancellationToken)
    {
        if (fence is null)
        {
            return;
        }

        var held = await db.ScalarAsync(
            $"SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > {NowMs} FOR SHARE",
            cancellationToken, fence.Name, fence.Holder, fence.Epoch).ConfigureAwait(false);
        if (held is null)
        {
            throw new KeelException(ErrorCode.ResourceConflict, $"Lease '{fence.Name}' epoch {fence.Epoch} held by '{fence.Holder}' is no longer current; the decision was not applied.");
        }
    }

    // Sequences are taken under a transaction-scoped lock, so they commit in the order they are
    // taken: a reader that has seen sequence n can never later find a smaller one appear.
    // Serving changes are rare; serialising them costs nothing that matters.
    private static async Task AppendChangeAsync(PgDb db, string endpoint, long version, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('keel/serving-changes/' || current_schema()))", cancellationToken).ConfigureAwait(false);
        var seq = (long)(await db.ScalarAsync(
            $"INSERT INTO serving_changes (seq, endpoint, version, changed_at) SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, {NowMs} FROM serving_changes RETURNING seq",
            cancellationToken, endpoint, version).ConfigureAwait(false))!;
        // Delivered at commit, to every replica listening on this database.
        await db.ExecuteAsync("SELECT pg_notify($1, $2)", cancellationToken, Channel, seq.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
    }

    private PostgresChangeListener Listener()
    {
        lock (_listenerGate)
        {
            return _listener ??= new PostgresChangeListener(_db, Channel);
        }
    }
}
