// Requests and responses of Keel's job queue API (/api/2.0/keel/jobs). Payloads and results are
// JSON values on the wire and JSON text in the domain (Keel.Core.Jobs); JobWire maps between them.
using System.Text.Json;
using Keel.Core.Jobs;

namespace Keel.Core.Wire;

/// <summary>A job as the API shows it (the lease token is never shown: only the lease holder has it).</summary>
public sealed class JobDto
{
    /// <summary>Increasing job id.</summary>
    public long Id { get; set; }

    /// <summary>What the job is, e.g. <c>batch-score</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The job's input.</summary>
    public JsonElement? Payload { get; set; }

    /// <summary>queued, leased, succeeded, dead or cancelled.</summary>
    public JobState State { get; set; }

    /// <summary>Leases taken so far; the fencing epoch of the current lease.</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts before the job is dead.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>The key it was enqueued under, if any.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Not leased before this time, Unix milliseconds.</summary>
    public long NotBefore { get; set; }

    /// <summary>When it was enqueued, Unix milliseconds.</summary>
    public long CreatedAt { get; set; }

    /// <summary>When its state or lease last changed, Unix milliseconds.</summary>
    public long UpdatedAt { get; set; }

    /// <summary>The worker holding (or that last held) the lease.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When the current lease runs out, Unix milliseconds; absent unless leased.</summary>
    public long? LeaseExpiresAt { get; set; }

    /// <summary>What the holder completed it with.</summary>
    public JsonElement? Result { get; set; }

    /// <summary>The last failure or lapsed lease.</summary>
    public string? LastError { get; set; }

    /// <summary>When it reached a final state, Unix milliseconds.</summary>
    public long? FinishedAt { get; set; }
}

/// <summary>Body of <c>POST /api/2.0/keel/jobs</c>.</summary>
public sealed class EnqueueJobRequest
{
    /// <summary>What the job is: 1-64 lowercase letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The job's input, one JSON value (at most 1 MB); <c>{}</c> when absent.</summary>
    public JsonElement? Payload { get; set; }

    /// <summary>Enqueueing again with the same key returns the first job instead of adding one.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Attempts before the job is dead, 1-100 (default 3).</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Unix milliseconds before which it is not leased; at once when absent.</summary>
    public long? NotBefore { get; set; }
}

/// <summary>Body of <c>POST /api/2.0/keel/jobs/lease</c>.</summary>
public sealed class LeaseJobRequest
{
    /// <summary>Who takes the lease.</summary>
    public string? WorkerId { get; set; }

    /// <summary>The job kinds the worker can run.</summary>
    public List<string>? Kinds { get; set; }

    /// <summary>How long the lease lasts unless extended, 1-3600 seconds.</summary>
    public double? LeaseSeconds { get; set; }
}

/// <summary>Answer of <c>POST /api/2.0/keel/jobs/lease</c>: empty when no job is ready.</summary>
public sealed class LeaseJobResponse
{
    /// <summary>The leased job.</summary>
    public JobDto? Job { get; set; }

    /// <summary>The lease token every later call of the holder presents.</summary>
    public string? LeaseToken { get; set; }
}

/// <summary>Body of the calls of a lease holder: heartbeat, complete, fail and release.</summary>
public sealed class JobLeaseRequest
{
    /// <summary>The token the lease was granted with.</summary>
    public string? LeaseToken { get; set; }

    /// <summary>Heartbeat: the new remaining lease time, 1-3600 seconds.</summary>
    public double? LeaseSeconds { get; set; }

    /// <summary>Complete: the result, one JSON value (at most 1 MB).</summary>
    public JsonElement? Result { get; set; }

    /// <summary>Fail: what went wrong.</summary>
    public string? Error { get; set; }

    /// <summary>Fail: seconds before the next attempt; the default backoff (1 s doubling to 5 minutes) when absent.</summary>
    public double? RetryDelaySeconds { get; set; }
}

/// <summary>Optional (empty) body of <c>POST /api/2.0/keel/jobs/{id}/cancel</c>.</summary>
public sealed class CancelJobRequest
{
}

/// <summary>One job.</summary>
public sealed class JobResponse
{
    /// <summary>The job.</summary>
    public JobDto? Job { get; set; }
}

/// <summary>Answer of <c>GET /api/2.0/keel/jobs</c>.</summary>
public sealed class ListJobsResponse
{
    /// <summary>Jobs in id order.</summary>
    public List<JobDto>? Jobs { get; set; }
}
