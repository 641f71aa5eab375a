using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Wire;

namespace Keel.Client;

// Keel's job queue API: the SDK implements IJobQueue over HTTP, so `keel worker` and the queue's
// contract suite run against a server exactly as against an embedded store.
public sealed partial class KeelClient : IJobQueue
{
    private const string JobsApi = "/api/2.0/keel/jobs";

    /// <inheritdoc/>
    /// <remarks>Retried on transient failures only when the job has an idempotency key (a retry then cannot add a second job).</remarks>
    public async Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = new EnqueueJobRequest
        {
            Kind = job.Kind,
            Payload = JobWire.Element(job.Payload),
            IdempotencyKey = job.IdempotencyKey,
            MaxAttempts = job.MaxAttempts,
            NotBefore = job.NotBefore,
        };
        return await JobCallAsync(JobsApi, request, JobJson.Default.EnqueueJobRequest, retry: job.IdempotencyKey is not null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Never retried: a lease granted to a lost answer would sit unused until it lapses.</remarks>
    public async Task<JobLease?> LeaseAsync(string workerId, IReadOnlyList<string> kinds, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var request = new LeaseJobRequest { WorkerId = workerId, Kinds = [.. kinds], LeaseSeconds = leaseDuration.TotalSeconds };
        var response = await _transport.SendJsonAsync(HttpMethod.Post, JobsApi + "/lease", request, JobJson.Default.LeaseJobRequest, JobJson.Default.LeaseJobResponse, retry: false, null, cancellationToken).ConfigureAwait(false);
        return response.Job is null || response.LeaseToken is null ? null : new JobLease(JobWire.FromDto(response.Job), response.LeaseToken);
    }

    /// <inheritdoc/>
    public Task<Job> HeartbeatAsync(long jobId, string leaseToken, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        JobCallAsync(JobPath(jobId, "heartbeat"), new JobLeaseRequest { LeaseToken = leaseToken, LeaseSeconds = leaseDuration.TotalSeconds }, JobJson.Default.JobLeaseRequest, retry: true, cancellationToken);

    /// <inheritdoc/>
    public Task<Job> CompleteAsync(long jobId, string leaseToken, string? result, CancellationToken cancellationToken = default) =>
        JobCallAsync(JobPath(jobId, "complete"), new JobLeaseRequest { LeaseToken = leaseToken, Result = JobWire.Element(result) }, JobJson.Default.JobLeaseRequest, retry: false, cancellationToken);

    /// <inheritdoc/>
    public Task<Job> FailAsync(long jobId, string leaseToken, string error, TimeSpan? retryDelay = null, CancellationToken cancellationToken = default) =>
        JobCallAsync(JobPath(jobId, "fail"), new JobLeaseRequest { LeaseToken = leaseToken, Error = error, RetryDelaySeconds = retryDelay?.TotalSeconds }, JobJson.Default.JobLeaseRequest, retry: false, cancellationToken);

    /// <inheritdoc/>
    public Task<Job> ReleaseAsync(long jobId, string leaseToken, CancellationToken cancellationToken = default) =>
        JobCallAsync(JobPath(jobId, "release"), new JobLeaseRequest { LeaseToken = leaseToken }, JobJson.Default.JobLeaseRequest, retry: false, cancellationToken);

    /// <inheritdoc/>
    public Task<Job> CancelAsync(long jobId, CancellationToken cancellationToken = default) =>
        JobCallAsync(JobPath(jobId, "cancel"), new CancelJobRequest(), JobJson.Default.CancelJobRequest, retry: true, cancellationToken);

    /// <inheritdoc/>
    public async Task<Job?> GetJobAsync(long jobId, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _transport.GetJsonAsync(JobPath(jobId, null), [], JobJson.Default.JobResponse, cancellationToken).ConfigureAwait(false);
            return response.Job is null ? null : JobWire.FromDto(response.Job);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Job>> ListJobsAsync(JobState? state, string? kind, long afterId, int maxResults, CancellationToken cancellationToken = default)
    {
        KeyValuePair<string, string?>[] query =
        [
            new("state", state is null ? null : JobStateTransitions.Name(state.Value)),
            new("kind", kind),
            new("after_id", afterId > 0 ? afterId.ToString(CultureInfo.InvariantCulture) : null),
            new("max_results", maxResults.ToString(CultureInfo.InvariantCulture)),
        ];
        var response = await _transport.GetJsonAsync(JobsApi, query, JobJson.Default.ListJobsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (response.Jobs ?? []).Select(JobWire.FromDto)];
    }

    private static string JobPath(long jobId, string? action) =>
        action is null ? $"{JobsApi}/{jobId.ToString(CultureInfo.InvariantCulture)}" : $"{JobsApi}/{jobId.ToString(CultureInfo.InvariantCulture)}/{action}";

    private async Task<Job> JobCallAsync<TRequest>(string path, TRequest body, JsonTypeInfo<TRequest> type, bool retry, CancellationToken cancellationToken)
    {
        var response = await _transport.SendJsonAsync(HttpMethod.Post, path, body, type, JobJson.Default.JobResponse, retry, null, cancellationToken).ConfigureAwait(false);
        return JobWire.FromDto(response.Job ?? throw new KeelException(ErrorCode.InternalError, $"The server answered {path} without a job."));
    }
}
