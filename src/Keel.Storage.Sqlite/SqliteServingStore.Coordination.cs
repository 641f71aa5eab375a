using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Storage.Records;

namespace Keel.Storage.Sqlite;

// The change feed, leases and rollout statistics on SQLite.
public sealed partial class SqliteServingStore
{
    public Task<IReadOnlyList<ServingChange>> ChangesSinceAsync(long after, int maxResults, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<ServingChange>>(db =>
        {
            using var command = db.Command(
                "SELECT seq, endpoint, version FROM serving_changes WHERE seq > $after ORDER BY seq LIMIT $max", ("$after", after), ("$max", maxResults));
            using var reader = command.ExecuteReader();
            var changes = new List<ServingChange>();
            while (reader.Read())
            {
                changes.Add(new ServingChange(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
            }

            return changes;
        }, transaction: false, cancellationToken);

    public Task<long> LatestChangeAsync(CancellationToken cancellationToken = default) =>
        RunAsync(db => db.Scalar("SELECT MAX(seq) FROM serving_changes") is long seq ? seq : 0L, transaction: false, cancellationToken);

    public async Task<bool> WaitForChangeAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Only this process writes this file: a change is either already there or will pulse.
        var woken = _db.ServingChanges.WaitAsync(timeout, cancellationToken);
        if (await LatestChangeAsync(cancellationToken).ConfigureAwait(false) > after)
        {
            return true;
        }

        return await woken.ConfigureAwait(false);
    }

    public Task<LeaseFence?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        RunAsync(db =>
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var expires = now + (long)duration.TotalMilliseconds;
            // Free or expired: taken with a new epoch. Ours: renewed in the same epoch. Someone else's and live: refused.
            db.Execute(
                """
                INSERT INTO leases (name, holder, epoch, expires_at) VALUES ($name, $holder, 1, $expires)
                ON CONFLICT (name) DO UPDATE SET
                    epoch = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > $now THEN leases.epoch ELSE leases.epoch + 1 END,
                    holder = excluded.holder,
                    expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= $now
                """,
                ("$name", name), ("$holder", holder), ("$expires", expires), ("$now", now));
            using var command = db.Command("SELECT epoch FROM leases WHERE name = $name AND holder = $holder AND expires_at = $expires", ("$name", name), ("$holder", holder), ("$expires", expires));
            return command.ExecuteScalar() is long epoch ? new LeaseFence(name, holder, epoch) : null;
        }, transaction: true, cancellationToken);

    public Task ReleaseAsync(LeaseFence fence, CancellationToken cancellationToken = default) =>
        RunAsync(db =>
        {
            ArgumentNullException.ThrowIfNull(fence);
            return db.Execute("UPDATE leases SET expires_at = 0 WHERE name = $name AND holder = $holder AND epoch = $epoch", ("$name", fence.Name), ("$holder", fence.Holder), ("$epoch", fence.Epoch));
        }, transaction: true, cancellationToken);

    public Task PublishStatsAsync(IReadOnlyList<RouteStepStats> stats, CancellationToken cancellationToken = default) =>
        RunAsync(db =>
        {
            ArgumentNullException.ThrowIfNull(stats);
            foreach (var s in stats)
            {
                db.Execute(
                    """
                    INSERT INTO serving_stats (endpoint, rollout_id, step_index, model_uri, role, replica, requests, errors, latency, samples, updated_at)
                    VALUES ($endpoint, $rollout, $step, $uri, $role, $replica, $requests, $errors, $latency, $samples, $t)
                    ON CONFLICT (endpoint, rollout_id, step_index, model_uri, role, replica) DO UPDATE SET
                        requests = excluded.requests, errors = excluded.errors, latency = excluded.latency, samples = excluded.samples, updated_at = excluded.updated_at
                    """,
                    ("$endpoint", s.Endpoint), ("$rollout", s.RolloutId), ("$step", s.StepIndex), ("$uri", s.ModelUri), ("$role", StoredNames.Of(s.Role)),
                    ("$replica", s.Replica), ("$requests", s.Requests), ("$errors", s.Errors), ("$latency", StatsColumns.Latency(s)), ("$samples", StatsColumns.Samples(s)), ("$t", s.UpdatedAt));
            }

            return true;
        }, transaction: true, cancellationToken);

    public Task<IReadOnlyList<RouteStepStats>> ReadStatsAsync(string endpoint, string rolloutId, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<RouteStepStats>>(db =>
        {
            using var command = db.Command(
                "SELECT endpoint, rollout_id, step_index, model_uri, role, replica, requests, errors, latency, samples, updated_at FROM serving_stats "
                + "WHERE endpoint = $endpoint AND rollout_id = $rollout ORDER BY step_index, replica, role",
                ("$endpoint", endpoint), ("$rollout", rolloutId));
            using var reader = command.ExecuteReader();
            var rows = new List<RouteStepStats>();
            while (reader.Read())
            {
                rows.Add(StatsColumns.Read(
                    reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.GetInt64(6), reader.GetInt64(7), reader.GetString(8), reader.GetString(9), reader.GetInt64(10)));
            }

            return rows;
        }, transaction: false, cancellationToken);

    // A leader's write is applied only while its epoch is the lease's current one and unexpired.
    private void CheckFence(Db db, LeaseFence? fence)
    {
        if (fence is null)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var command = db.Command(
            "SELECT 1 FROM leases WHERE name = $name AND holder = $holder AND epoch = $epoch AND expires_at > $now",
            ("$name", fence.Name), ("$holder", fence.Holder), ("$epoch", fence.Epoch), ("$now", now));
        if (command.ExecuteScalar() is null)
        {
            throw new KeelException(ErrorCode.ResourceConflict, $"Lease '{fence.Name}' epoch {fence.Epoch} held by '{fence.Holder}' is no longer current; the decision was not applied.");
        }
    }
}
