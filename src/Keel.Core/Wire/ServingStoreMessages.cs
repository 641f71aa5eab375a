using Keel.Core.Coordination;
using Keel.Core.Serving;

namespace Keel.Core.Wire;

// Keel's serving-store API (/api/2.0/keel/serving-store): the serving store port over HTTP, so a
// process that reaches the control plane only by HTTP can keep endpoints, follow the change feed,
// hold leases and publish rollout figures exactly as a replica on the database does.

/// <summary>Body of creating (POST) or updating (PUT) a stored endpoint.</summary>
public sealed class StoredEndpointRequest
{
    /// <summary>The endpoint whole; an update carries the next revision in <c>version</c>.</summary>
    public Endpoint? Endpoint { get; set; }

    /// <summary>The audit event's action (an update only), e.g. <c>traffic.canary</c>.</summary>
    public string? Action { get; set; }

    /// <summary>The audit event's detail (an update only).</summary>
    public string? Detail { get; set; }

    /// <summary>Who made the change, for the audit event.</summary>
    public string? Actor { get; set; }

    /// <summary>The writer's lease: the update is refused (409) unless it is still the current holder's epoch.</summary>
    public LeaseFence? Fence { get; set; }
}

/// <summary>Body of deleting a stored endpoint.</summary>
public sealed class StoredEndpointDeleteRequest
{
    /// <summary>Who deleted it, for the audit event.</summary>
    public string? Actor { get; set; }
}

/// <summary>One stored endpoint; no <c>endpoint</c> when there is none of that name.</summary>
public sealed class StoredEndpointResponse
{
    /// <summary>The endpoint as stored, with its revision.</summary>
    public Endpoint? Endpoint { get; set; }
}

/// <summary>Stored endpoints, by name.</summary>
public sealed class StoredEndpointsResponse
{
    /// <summary>The endpoints as stored.</summary>
    public List<Endpoint>? Endpoints { get; set; }
}

/// <summary>Entries of the serving change feed and its latest sequence.</summary>
public sealed class ServingChangesResponse
{
    /// <summary>Changes after the sequence asked for, oldest first.</summary>
    public List<ServingChange>? Changes { get; set; }

    /// <summary>The feed's latest sequence (0 when empty).</summary>
    public long Latest { get; set; }

    /// <summary>For a wait: true when a change after the sequence asked for exists.</summary>
    public bool? Changed { get; set; }
}

/// <summary>Body of taking or renewing a lease.</summary>
public sealed class AcquireLeaseRequest
{
    /// <summary>The singleton job the lease is for, e.g. <c>rollout-controller</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Who asks (a replica's id).</summary>
    public string? Holder { get; set; }

    /// <summary>How long the lease lasts unless renewed, in seconds.</summary>
    public double? DurationSeconds { get; set; }
}

/// <summary>Body of giving a lease up.</summary>
public sealed class ReleaseLeaseRequest
{
    /// <summary>The lease as it was granted.</summary>
    public LeaseFence? Lease { get; set; }
}

/// <summary>A lease granted; no <c>lease</c> when another holder has it.</summary>
public sealed class LeaseResponse
{
    /// <summary>The lease with its fencing epoch.</summary>
    public LeaseFence? Lease { get; set; }
}

/// <summary>Rollout figures a replica publishes, or the rows of one rollout.</summary>
public sealed class RouteStatsMessage
{
    /// <summary>One row per endpoint, rollout, step, route and replica.</summary>
    public List<RouteStepStats>? Stats { get; set; }
}

/// <summary>
/// Answer of a stored-endpoint update refused because the endpoint is at another revision (HTTP
/// 409): the usual error body plus the endpoint as stored and the revision the update was made from.
/// </summary>
public sealed class StoredEndpointConflictResponse
{
    /// <summary>Always <c>RESOURCE_CONFLICT</c>.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>Which revision the update was made from and which one is stored.</summary>
    public string? Message { get; set; }

    /// <summary>The endpoint as stored now.</summary>
    public Endpoint? StoredEndpoint { get; set; }

    /// <summary>The revision the refused update was made from.</summary>
    public long? ExpectedVersion { get; set; }
}
