using Keel.Core.Jobs;
using Keel.Storage.Jobs;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// The job queue on the SQLite file of the other stores. SQLite has one writer, so every lease and
/// every outcome runs in one immediate transaction behind the writer lock: two leases never see the
/// same ready row. Fencing is a condition on the lease token and expiry in the same UPDATE.
/// </summary>
public sealed class SqliteJobQueue : IJobQueue, IDisposable
{
    private const string Leased = "leased";
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;

    public SqliteJobQueue(string databasePath, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
    }

    public Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _db.WriteAsync(tx =>
        {
            var db = new Db(_db.Writer, tx);
            var now = Now();
            var inserted = db.Execute(
                """
                INSERT INTO jobs (kind, payload, state, attempts, max_attempts, idempotency_key, not_before, created_at, updated_at)
                VALUES ($kind, $payload, 'queued', 0, $max, $key, $notBefore, $now, $now)
                ON CONFLICT (idempotency_key) DO NOTHING
                """,
                ("$kind", job.Kind), ("$payload", job.Payload), ("$max", job.MaxAttempts), ("$key", job.IdempotencyKey),
                ("$notBefore", job.NotBefore ?? now), ("$now", now));
            return inserted == 1
                ? ReadOne(db, "id = last_insert_rowid()")!
                : ReadOne(db, "idempotency_key = $key", ("$key", job.IdempotencyKey))!;
        }, cancellationToken);
    }

    public Task<JobLease?> LeaseAsync(string workerId, IReadOnlyList<string> kinds, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        return _db.WriteAsync(tx =>
        {
            var db = new Db(_db.Writer, tx);
            var now = Now();
            // A lapsed lease on the last attempt is the end of the job, not a re-delivery.
            db.Execute(
                $"""
                UPDATE jobs SET state = 'dead', last_error = '{JobRows.LapsedLease}', finished_at = $now, updated_at = $now,
                    lease_token = NULL, lease_expires_at = NULL
                WHERE state = 'leased' AND lease_expires_at <= $now AND attempts >= max_attempts
                """,
                ("$now", now));

            var kindParameters = kinds.Select((k, i) => ("$k" + i, (object?)k)).ToArray();
            var kindList = string.Join(", ", kindParameters.Select(p => p.Item1));
            var id = db.Scalar(
                $"""
                SELECT id FROM jobs
                WHERE kind IN ({kindList})
                  AND ((state = 'queued' AND not_before <= $now) OR (state = 'leased' AND lease_expires_at <= $now))
                ORDER BY not_before, id LIMIT 1
                """,
                [.. kindParameters, ("$now", now)]);
            if (id is not long jobId)
            {
                return null;
            }

            var token = JobRows.NewToken();
            db.Execute(
                $"""
                UPDATE jobs SET
                    last_error = CASE WHEN state = 'leased' THEN '{JobRows.LapsedLease}' ELSE last_error END,
                    state = 'leased', attempts = attempts + 1, lease_owner = $owner, lease_token = $token,
                    lease_expires_at = $expires, updated_at = $now
                WHERE id = $id
                """,
                ("$owner", workerId), ("$token", token), ("$expires", now + Millis(leaseDuration)), ("$now", now), ("$id", jobId));
            return new JobLease(ReadOne(db, "id = $id", ("$id", jobId))!, token);
        }, cancellationToken);
    }

    public Task<Job> HeartbeatAsync(long jobId, string leaseToken, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        Fenced(jobId, leaseToken, now => ("lease_expires_at = $a", [("$a", now + Millis(leaseDuration))]), cancellationToken);

    public Task<Job> CompleteAsync(long jobId, string leaseToken, string? result, CancellationToken cancellationToken = default) =>
        Fenced(jobId, leaseToken, now => ("state = 'succeeded', result = $a, finished_at = $now, lease_token = NULL, lease_expires_at = NULL", [("$a", result)]), cancellationToken);

    public Task<Job> FailAsync(long jobId, string leaseToken, string error, TimeSpan? retryDelay = null, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(tx =>
        {
            var db = new Db(_db.Writer, tx);
            var now = Now();
            var held = HeldOrThrow(db, jobId, leaseToken, now);
            var delay = Millis(retryDelay ?? JobBackoff.After(held.Attempts));
            db.Execute(
                """
                UPDATE jobs SET last_error = $error, updated_at = $now, lease_token = NULL, lease_expires_at = NULL,
                    state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                    finished_at = CASE WHEN attempts >= max_attempts THEN $now ELSE NULL END,
                    not_before = CASE WHEN attempts >= max_attempts THEN not_before ELSE $retryAt END
                WHERE id = $id
                """,
                ("$error", error), ("$now", now), ("$retryAt", now + delay), ("$id", jobId));
            return ReadOne(db, "id = $id", ("$id", jobId))!;
        }, cancellationToken);

    public Task<Job> ReleaseAsync(long jobId, string leaseToken, CancellationToken cancellationToken = default) =>
        Fenced(jobId, leaseToken, now => ("state = 'queued', attempts = attempts - 1, not_before = $now, lease_token = NULL, lease_expires_at = NULL", []), cancellationToken);

    public Task<Job> CancelAsync(long jobId, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(tx =>
        {
            var db = new Db(_db.Writer, tx);
            var job = ReadOne(db, "id = $id", ("$id", jobId)) ?? throw JobErrors.NotFound(jobId);
            switch (job.State)
            {
                case JobState.Cancelled:
                    return job;
                case JobState.Succeeded or JobState.Dead:
                    throw JobErrors.NotCancellable(job);
            }

            var now = Now();
            db.Execute(
                "UPDATE jobs SET state = 'cancelled', finished_at = $now, updated_at = $now, lease_token = NULL, lease_expires_at = NULL WHERE id = $id",
                ("$now", now), ("$id", jobId));
            return ReadOne(db, "id = $id", ("$id", jobId))!;
        }, cancellationToken);

    public Task<Job?> GetJobAsync(long jobId, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(connection => ReadOne(new Db(connection, null), "id = $id", ("$id", jobId)), cancellationToken);

    public Task<IReadOnlyList<Job>> ListJobsAsync(JobState? state, string? kind, long afterId, int maxResults, CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<Job>>(connection =>
        {
            var where = "id > $after" + (state is null ? string.Empty : " AND state = $state") + (kind is null ? string.Empty : " AND kind = $kind");
            using var command = new Db(connection, null).Command(
                $"SELECT {JobRows.Columns} FROM jobs WHERE {where} ORDER BY id LIMIT $max",
                ("$after", afterId), ("$state", state is null ? null : JobRows.Name(state.Value)), ("$kind", kind), ("$max", maxResults));
            using var reader = command.ExecuteReader();
            var jobs = new List<Job>();
            while (reader.Read())
            {
                jobs.Add(JobRows.Read(reader));
            }

            return jobs;
        }, cancellationToken);

    public void Dispose() => _handle.Dispose();

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Millis(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);

    /// <summary>Applies <paramref name="change"/> if the caller's lease is still held, else throws the reason.</summary>
    private Task<Job> Fenced(long jobId, string leaseToken, Func<long, (string Set, (string, object?)[] Parameters)> change, CancellationToken cancellationToken) =>
        _db.WriteAsync(tx =>
        {
            var db = new Db(_db.Writer, tx);
            var now = Now();
            HeldOrThrow(db, jobId, leaseToken, now);
            var (set, parameters) = change(now);
            db.Execute($"UPDATE jobs SET {set}, updated_at = $now WHERE id = $id", [.. parameters, ("$now", now), ("$id", jobId)]);
            return ReadOne(db, "id = $id", ("$id", jobId))!;
        }, cancellationToken);

    private static Job HeldOrThrow(Db db, long jobId, string leaseToken, long now)
    {
        var job = ReadOne(db, "id = $id", ("$id", jobId)) ?? throw JobErrors.NotFound(jobId);
        var held = db.Scalar(
            $"SELECT 1 FROM jobs WHERE id = $id AND state = '{Leased}' AND lease_token = $token AND lease_expires_at > $now",
            ("$id", jobId), ("$token", leaseToken), ("$now", now));
        return held is null ? throw JobErrors.LeaseLost(job) : job;
    }

    private static Job? ReadOne(Db db, string where, params (string, object?)[] parameters)
    {
        using var command = db.Command($"SELECT {JobRows.Columns} FROM jobs WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? JobRows.Read(reader) : null;
    }
}
