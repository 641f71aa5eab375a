namespace Keel.Core.Jobs;

/// <summary>
/// A durable work queue with leases (visibility timeouts), retries with backoff, a dead-letter state
/// and fencing. A worker leases a job for a while and must heartbeat to keep it; a lease that runs
/// out makes the job leasable again, and the old holder's token is refused from then on. Leasing is
/// safe under concurrency: two workers never hold the same job. Implementations may assume
/// validated input (kinds, payload JSON, durations and limits are checked above the port).
/// </summary>
public interface IJobQueue
{
    /// <summary>Adds a job. With an idempotency key already used, returns the job enqueued first and adds nothing.</summary>
    /// <param name="job">The job to add.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job as stored (new or the existing one of the key).</returns>
    Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases the oldest ready job of one of <paramref name="kinds"/>: a queued job past its not-before
    /// time, or a leased job whose lease has expired (re-delivered; on its last attempt it becomes dead
    /// instead). The job's attempts grow by one.
    /// </summary>
    /// <param name="workerId">Who takes the lease (recorded as the job's lease owner).</param>
    /// <param name="kinds">The job kinds the worker can run; at least one.</param>
    /// <param name="leaseDuration">How long the lease lasts unless extended.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job and its lease token, or null when no job is ready.</returns>
    Task<JobLease?> LeaseAsync(string workerId, IReadOnlyList<string> kinds, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease the caller still holds to <paramref name="leaseDuration"/> from now.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="leaseToken">The token of the lease.</param>
    /// <param name="leaseDuration">The new remaining lease time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job with its new lease expiry.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown job; RESOURCE_CONFLICT when the lease is no longer held (expired, released, taken over, or the job was cancelled).</exception>
    Task<Job> HeartbeatAsync(long jobId, string leaseToken, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Marks a job succeeded with its result, if the caller still holds its lease.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="leaseToken">The token of the lease.</param>
    /// <param name="result">The result: one JSON value as text, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job as it became.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown job; RESOURCE_CONFLICT when the lease is no longer held (the outcome is refused, not recorded).</exception>
    Task<Job> CompleteAsync(long jobId, string leaseToken, string? result, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a failed attempt, if the caller still holds the lease: the job is queued again after
    /// <paramref name="retryDelay"/> (default <see cref="JobBackoff.After"/>) while it has attempts
    /// left, and is dead after its last one.
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="leaseToken">The token of the lease.</param>
    /// <param name="error">What went wrong, kept as the job's last error.</param>
    /// <param name="retryDelay">Wait before the next attempt; null for the default backoff.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job as it became (queued or dead).</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown job; RESOURCE_CONFLICT when the lease is no longer held.</exception>
    Task<Job> FailAsync(long jobId, string leaseToken, string error, TimeSpan? retryDelay = null, CancellationToken cancellationToken = default);

    /// <summary>Gives a held job back unfinished (a worker stopping): it is queued at once and the attempt does not count.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="leaseToken">The token of the lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, queued again.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown job; RESOURCE_CONFLICT when the lease is no longer held.</exception>
    Task<Job> ReleaseAsync(long jobId, string leaseToken, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued or leased job (a holder's later calls are refused). Cancelling a cancelled job changes nothing.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, cancelled.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown job; RESOURCE_CONFLICT when it already succeeded or is dead.</exception>
    Task<Job> CancelAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>The job, or null when there is none of that id.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Job?> GetJobAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>Jobs in id order (oldest first), optionally of one state and kind, starting after an id.</summary>
    /// <param name="state">Only jobs in this state; null for all.</param>
    /// <param name="kind">Only jobs of this kind; null for all.</param>
    /// <param name="afterId">Only jobs with a larger id (paging); 0 from the start.</param>
    /// <param name="maxResults">The most jobs to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Job>> ListJobsAsync(JobState? state, string? kind, long afterId, int maxResults, CancellationToken cancellationToken = default);
}
