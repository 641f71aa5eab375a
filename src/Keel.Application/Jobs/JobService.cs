using Keel.Application.Validation;
using Keel.Core.Errors;
using Keel.Core.Jobs;

namespace Keel.Application.Jobs;

/// <summary>
/// The job queue's use cases: arguments checked and defaulted once (kinds, JSON payloads, lease
/// durations, limits), then handed to whichever <see cref="IJobQueue"/> backend is configured.
/// </summary>
public sealed class JobService
{
    private readonly IJobQueue _queue;

    public JobService(IJobQueue queue) => _queue = queue ?? throw new ArgumentNullException(nameof(queue));

    public Task<Job> EnqueueAsync(string? kind, string? payload, string? idempotencyKey, int? maxAttempts, long? notBefore, CancellationToken cancellationToken = default)
    {
        var job = new NewJob(
            JobRules.Kind(kind),
            JobRules.Json(payload, "payload", JobRules.MaxPayloadBytes, "{}")!,
            JobRules.IdempotencyKey(idempotencyKey),
            JobRules.MaxAttempts(maxAttempts),
            JobRules.NotBefore(notBefore));
        return _queue.EnqueueAsync(job, cancellationToken);
    }

    public Task<JobLease?> LeaseAsync(string? workerId, IReadOnlyList<string>? kinds, double? leaseSeconds, CancellationToken cancellationToken = default) =>
        _queue.LeaseAsync(JobRules.WorkerId(workerId), JobRules.Kinds(kinds), JobRules.Lease(leaseSeconds), cancellationToken);

    public Task<Job> HeartbeatAsync(long jobId, string? leaseToken, double? leaseSeconds, CancellationToken cancellationToken = default) =>
        _queue.HeartbeatAsync(JobRules.JobId(jobId), JobRules.Token(leaseToken), JobRules.Lease(leaseSeconds), cancellationToken);

    public Task<Job> CompleteAsync(long jobId, string? leaseToken, string? result, CancellationToken cancellationToken = default) =>
        _queue.CompleteAsync(JobRules.JobId(jobId), JobRules.Token(leaseToken), JobRules.Json(result, "result", JobRules.MaxResultBytes, null), cancellationToken);

    public Task<Job> FailAsync(long jobId, string? leaseToken, string? error, double? retryDelaySeconds, CancellationToken cancellationToken = default) =>
        _queue.FailAsync(JobRules.JobId(jobId), JobRules.Token(leaseToken), JobRules.Error(error), JobRules.Delay(retryDelaySeconds), cancellationToken);

    public Task<Job> ReleaseAsync(long jobId, string? leaseToken, CancellationToken cancellationToken = default) =>
        _queue.ReleaseAsync(JobRules.JobId(jobId), JobRules.Token(leaseToken), cancellationToken);

    public Task<Job> CancelAsync(long jobId, CancellationToken cancellationToken = default) =>
        _queue.CancelAsync(JobRules.JobId(jobId), cancellationToken);

    public async Task<Job> GetAsync(long jobId, CancellationToken cancellationToken = default) =>
        await _queue.GetJobAsync(JobRules.JobId(jobId), cancellationToken).ConfigureAwait(false) ?? throw JobErrors.NotFound(jobId);

    public Task<IReadOnlyList<Job>> ListAsync(string? state, string? kind, long? afterId, int? maxResults, CancellationToken cancellationToken = default)
    {
        JobState? parsed = null;
        if (!string.IsNullOrEmpty(state))
        {
            parsed = JobStateTransitions.Parse(state)
                ?? throw KeelException.InvalidParameter($"Invalid state '{state}': expected one of queued, leased, succeeded, dead, cancelled.");
        }

        var after = afterId ?? 0;
        if (after < 0)
        {
            throw KeelException.InvalidParameter($"Invalid after_id {after}: it must not be negative.");
        }

        return _queue.ListJobsAsync(parsed, string.IsNullOrEmpty(kind) ? null : JobRules.Kind(kind), after, JobRules.MaxResults(maxResults), cancellationToken);
    }
}
