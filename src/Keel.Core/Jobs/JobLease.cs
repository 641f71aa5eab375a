namespace Keel.Core.Jobs;

/// <summary>A leased job and the token that proves the lease.</summary>
/// <param name="Job">The job as leased (state leased, its attempts counting this lease).</param>
/// <param name="Token">
/// The lease token. Heartbeat, complete, fail and release must present it; once the lease has
/// expired, been released or been taken by another worker the token is refused, so a stalled
/// holder can never overwrite the outcome of the worker that took the job over.
/// </param>
public sealed record JobLease(Job Job, string Token);
