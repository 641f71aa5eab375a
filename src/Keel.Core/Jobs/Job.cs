namespace Keel.Core.Jobs;

/// <summary>A unit of queued work as the queue holds it. Times are Unix milliseconds.</summary>
/// <param name="Id">Increasing job id, assigned by the queue.</param>
/// <param name="Kind">What the job is, e.g. <c>batch-score</c>; workers lease the kinds they have handlers for.</param>
/// <param name="Payload">The job's input: one JSON value, as text.</param>
/// <param name="State">Where the job is in its life.</param>
/// <param name="Attempts">Leases taken so far (a release gives its attempt back); also the fencing epoch of the current lease.</param>
/// <param name="MaxAttempts">After this many attempts a failure or an expired lease makes the job dead.</param>
/// <param name="IdempotencyKey">The key the job was enqueued under, if any: enqueueing it again returns this job.</param>
/// <param name="NotBefore">The job is not leased before this time (a delayed start or a retry's backoff).</param>
/// <param name="CreatedAt">When it was enqueued.</param>
/// <param name="UpdatedAt">When its state or lease last changed.</param>
/// <param name="LeaseOwner">The worker holding (or that last held) the lease; null when never leased.</param>
/// <param name="LeaseExpiresAt">When the current lease runs out; null unless leased.</param>
/// <param name="Result">What the holder completed it with: one JSON value as text, or null.</param>
/// <param name="LastError">The last failure (or lease expiry) reported, for retries and dead jobs.</param>
/// <param name="FinishedAt">When it reached a final state; null until then.</param>
public sealed record Job(
    long Id,
    string Kind,
    string Payload,
    JobState State,
    int Attempts,
    int MaxAttempts,
    string? IdempotencyKey,
    long NotBefore,
    long CreatedAt,
    long UpdatedAt,
    string? LeaseOwner,
    long? LeaseExpiresAt,
    string? Result,
    string? LastError,
    long? FinishedAt);
