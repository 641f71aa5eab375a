namespace Keel.Core.Jobs;

/// <summary>Runs the jobs of one kind inside <c>keel worker</c>.</summary>
public interface IJobHandler
{
    /// <summary>The job kind this handler runs, e.g. <c>batch-score</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Does the job's work and returns its result (one JSON value as text, or null). Throwing fails
    /// the attempt (retried with backoff until its last attempt). The work must be safe to run again:
    /// a job whose worker died is delivered again, possibly after part of it was done.
    /// </summary>
    /// <param name="job">The leased job.</param>
    /// <param name="cancellationToken">Cancelled when the worker stops or the lease is lost; stop soon after.</param>
    Task<string?> RunAsync(Job job, CancellationToken cancellationToken);
}
