using Keel.Core.Jobs;
using Keel.Storage.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Keel.Storage.Postgres;

/// <summary>
/// The job queue on PostgreSQL, shared by every replica and worker on the database. A lease picks
/// the oldest ready row with <c>FOR UPDATE SKIP LOCKED</c> and takes it in the same statement, so
/// concurrent workers never wait on each other and never get the same job. Every call of a lease
/// holder locks the job row and checks the token and expiry before changing it (fencing). Times
/// come from the database's clock, not the caller's.
/// </summary>
public sealed class PostgresJobQueue : IJobQueue, IDisposable
{
    private const string Columns =
        "id, kind, payload::text, state, attempts, max_attempts, idempotency_key, not_before, created_at, updated_at, lease_owner, lease_expires_at, result::text, last_error, finished_at";

    private const string NowSql = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    private static readonly string JColumns = string.Join(", ", Columns.Split(", ").Select(c => "j." + c));

    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;

    /// <summary>A queue on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    public PostgresJobQueue(PostgresDatabase database)
        : this(database, ownsDatabase: false)
    {
    }

    /// <summary>A queue that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    public PostgresJobQueue(string uri)
        : this(PostgresDatabase.Open(uri), ownsDatabase: true)
    {
    }

    private PostgresJobQueue(PostgresDatabase database, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
    }

    public Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _db.WriteAsync(async db =>
        {
            var now = await NowAsync(db, cancellationToken).ConfigureAwait(false);
            var inserted = await db.ListAsync(
                $"""
                INSERT INTO jobs (kind, payload, state, attempts, max_attempts, idempotency_key, not_before, created_at, updated_at)
                VALUES ($1, $2, 'queued', 0, $3, $4, $5, $6, $6)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING {Columns}
                """,
                JobRows.Read, cancellationToken, job.Kind, Json(job.Payload), job.MaxAttempts, Text(job.IdempotencyKey), job.NotBefore ?? now, now).ConfigureAwait(false);
            return inserted.Count == 1
                ? inserted[0]
                : (await db.ListAsync($"SELECT {Columns} FROM jobs WHERE idempotency_key = $1", JobRows.Read, cancellationToken, job.IdempotencyKey).ConfigureAwait(false))[0];
        }, cancellationToken);
    }

    public Task<JobLease?> LeaseAsync(string workerId, IReadOnlyList<string> kinds, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var kindArray = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = kinds.ToArray() };
        return _db.WriteAsync<JobLease?>(async db =>
        {
            var now = await NowAsync(db, cancellationToken).ConfigureAwait(false);
            // A lapsed lease on the last attempt is the end of the job, not a re-delivery. SKIP
            // LOCKED here too: two workers sweeping together must not lock rows in crossing orders.
            await db.ExecuteAsync(
                $"""
                UPDATE jobs SET state = 'dead', last_error = '{JobRows.LapsedLease}', finished_at = $1, updated_at = $1,
                    lease_token = NULL, lease_expires_at = NULL
                WHERE id IN (
                    SELECT id FROM jobs
                    WHERE state = 'leased' AND lease_expires_at <= $1 AND attempts >= max_attempts AND kind = ANY($2)
                    FOR UPDATE SKIP LOCKED)
                """,
                cancellationToken, now, kindArray).ConfigureAwait(false);

            var token = JobRows.NewToken();
            var leased = await db.ListAsync(
                $"""
                WITH next AS (
                    SELECT id FROM jobs
                    WHERE kind = ANY($1)
                      AND ((state = 'queued' AND not_before <= $2) OR (state = 'leased' AND lease_expires_at <= $2 AND attempts < max_attempts))
                    ORDER BY not_before, id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                UPDATE jobs j SET
                    last_error = CASE WHEN j.state = 'leased' THEN 'The lease of worker ' || COALESCE(j.lease_owner, '?') || ' expired before the job finished (attempt ' || j.attempts || ').' ELSE j.last_error END,
                    state = 'leased', attempts = j.attempts + 1, lease_owner = $3, lease_token = $4, lease_expires_at = $5, updated_at = $2
                FROM next WHERE j.id = next.id
                RETURNING {JColumns}
                """,
                JobRows.Read, cancellationToken, CloneArray(kindArray), now, workerId, token, now + Millis(leaseDuration)).ConfigureAwait(false);
            return leased.Count == 0 ? null : new JobLease(leased[0], token);
        }, cancellationToken);
    }

    public Task<Job> HeartbeatAsync(long jobId, string leaseToken, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        FencedAsync(jobId, leaseToken, (_, now) => ("lease_expires_at = $3", [now + Millis(leaseDuration)]), cancellationToken);

    public Task<Job> CompleteAsync(long jobId, string leaseToken, string? result, CancellationToken cancellationToken = default) =>
        FencedAsync(jobId, leaseToken, (_, now) => ("state = 'succeeded', result = $3, finished_at = $2, lease_token = NULL, lease_expires_at = NULL", [Json(result)]), cancellationToken);

    public Task<Job> FailAsync(long jobId, string leaseToken, string error, TimeSpan? retryDelay = null, CancellationToken cancellationToken = default) =>
        FencedAsync(jobId, leaseToken, (job, now) => job.Attempts >= job.MaxAttempts
            ? ("state = 'dead', last_error = $3, finished_at = $2, lease_token = NULL, lease_expires_at = NULL", [error])
            : ("state = 'queued', last_error = $3, not_before = $4, lease_token = NULL, lease_expires_at = NULL", [error, now + Millis(retryDelay ?? JobBackoff.After(job.Attempts))]),
            cancellationToken);

    public Task<Job> ReleaseAsync(long jobId, string leaseToken, CancellationToken cancellationToken = default) =>
        FencedAsync(jobId, leaseToken, (_, _) => ("state = 'queued', attempts = attempts - 1, not_before = $2, lease_token = NULL, lease_expires_at = NULL", []), cancellationToken);

    public Task<Job> CancelAsync(long jobId, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db =>
        {
            var (job, _, _) = await LockAsync(db, jobId, cancellationToken).ConfigureAwait(false);
            switch (job.State)
            {
                case JobState.Cancelled:
                    return job;
                case JobState.Succeeded or JobState.Dead:
                    throw JobErrors.NotCancellable(job);
            }

            var now = await NowAsync(db, cancellationToken).ConfigureAwait(false);
            return (await db.ListAsync(
                $"UPDATE jobs SET state = 'cancelled', finished_at = $2, updated_at = $2, lease_token = NULL, lease_expires_at = NULL WHERE id = $1 RETURNING {Columns}",
                JobRows.Read, cancellationToken, jobId, now).ConfigureAwait(false))[0];
        }, cancellationToken);

    public Task<Job?> GetJobAsync(long jobId, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(async db =>
            (await db.ListAsync($"SELECT {Columns} FROM jobs WHERE id = $1", JobRows.Read, cancellationToken, jobId).ConfigureAwait(false)).FirstOrDefault(),
            cancellationToken);

    public Task<IReadOnlyList<Job>> ListJobsAsync(JobState? state, string? kind, long afterId, int maxResults, CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<Job>>(async db =>
            await db.ListAsync(
                $"SELECT {Columns} FROM jobs WHERE id > $1 AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR kind = $3) ORDER BY id LIMIT $4",
                JobRows.Read, cancellationToken, afterId, Text(state is null ? null : JobRows.Name(state.Value)), Text(kind), (long)maxResults).ConfigureAwait(false),
            cancellationToken);

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }

    private static long Millis(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);

    private static async Task<long> NowAsync(PgDb db, CancellationToken cancellationToken) =>
        (long)(await db.ScalarAsync("SELECT " + NowSql, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Locks the job row, then applies <paramref name="change"/> ($1 id, $2 now, then its own values) if the caller still holds the lease.</summary>
    private Task<Job> FencedAsync(long jobId, string leaseToken, Func<Job, long, (string Set, object?[] Values)> change, CancellationToken cancellationToken) =>
        _db.WriteAsync(async db =>
        {
            var (job, token, now) = await LockAsync(db, jobId, cancellationToken).ConfigureAwait(false);
            if (job.State != JobState.Leased || token != leaseToken || job.LeaseExpiresAt <= now)
            {
                throw JobErrors.LeaseLost(job);
            }

            var (set, values) = change(job, now);
            return (await db.ListAsync(
                $"UPDATE jobs SET {set}, updated_at = $2 WHERE id = $1 RETURNING {Columns}",
                JobRows.Read, cancellationToken, [jobId, now, .. values]).ConfigureAwait(false))[0];
        }, cancellationToken);

    /// <summary>The job row locked for this transaction, its lease token and the database's time after the lock was granted.</summary>
    private static async Task<(Job Job, string? Token, long Now)> LockAsync(PgDb db, long jobId, CancellationToken cancellationToken)
    {
        var rows = await db.ListAsync(
            $"SELECT {Columns}, lease_token, {NowSql} FROM jobs WHERE id = $1 FOR UPDATE",
            r => (JobRows.Read(r), r.IsDBNull(15) ? null : r.GetString(15), r.GetInt64(16)), cancellationToken, jobId).ConfigureAwait(false);
        return rows.Count == 0 ? throw JobErrors.NotFound(jobId) : rows[0];
    }

    private static NpgsqlParameter Json(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter CloneArray(NpgsqlParameter p) => new() { NpgsqlDbType = p.NpgsqlDbType, Value = p.Value };
}
