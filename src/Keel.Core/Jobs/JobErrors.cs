using Keel.Core.Errors;

namespace Keel.Core.Jobs;

/// <summary>The queue's errors, worded once so every backend (and the HTTP client) says the same.</summary>
public static class JobErrors
{
    /// <summary>RESOURCE_DOES_NOT_EXIST for a job id.</summary>
    /// <param name="jobId">The job.</param>
    public static KeelException NotFound(long jobId) => KeelException.NotFound($"Job {jobId} does not exist.");

    /// <summary>RESOURCE_CONFLICT: the caller's lease is no longer valid, so its call is refused.</summary>
    /// <param name="job">The job as it is now.</param>
    public static KeelException LeaseLost(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var why = job.State switch
        {
            JobState.Leased => $"it is leased again (attempt {job.Attempts}, by {job.LeaseOwner}) or the lease expired",
            JobState.Queued => "the lease expired or was released and the job is queued again",
            _ => $"the job is {JobStateTransitions.Name(job.State)}",
        };
        return new KeelException(ErrorCode.ResourceConflict, $"The lease on job {job.Id} is no longer held: {why}. The call is refused.");
    }

    /// <summary>RESOURCE_CONFLICT: a finished job cannot be cancelled.</summary>
    /// <param name="job">The job as it is now.</param>
    public static KeelException NotCancellable(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new KeelException(ErrorCode.ResourceConflict, $"Job {job.Id} is {JobStateTransitions.Name(job.State)}; only queued or leased jobs can be cancelled.");
    }
}
