namespace Keel.Core.Jobs;

/// <summary>A job to enqueue, validated above the port.</summary>
/// <param name="Kind">What the job is, e.g. <c>batch-score</c>.</param>
/// <param name="Payload">The job's input: one JSON value, as text.</param>
/// <param name="IdempotencyKey">When set, enqueueing with a key already used returns the job enqueued first instead of a new one.</param>
/// <param name="MaxAttempts">Attempts before the job is dead (at least 1).</param>
/// <param name="NotBefore">Unix milliseconds before which it is not leased; null for at once.</param>
public sealed record NewJob(string Kind, string Payload, string? IdempotencyKey = null, int MaxAttempts = NewJob.DefaultMaxAttempts, long? NotBefore = null)
{
    /// <summary>Attempts a job gets when the caller does not say.</summary>
    public const int DefaultMaxAttempts = 3;
}
