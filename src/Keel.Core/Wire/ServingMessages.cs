// Requests and responses of Keel's serving API (/api/2.0/keel/endpoints). Endpoints travel as the
// domain records themselves (Keel.Core.Serving): they are immutable values with no behaviour the
// wire could bypass, and the store persists the same JSON, so one shape is reviewed, not three.
using Keel.Core.Serving;

namespace Keel.Core.Wire;

/// <summary>Body of <c>POST /api/2.0/keel/endpoints</c>.</summary>
public sealed class CreateEndpointRequest
{
    /// <summary>Unique endpoint name: letters, digits, <c>-</c> and <c>_</c>.</summary>
    public string? Name { get; set; }

    /// <summary>dev, staging or prod (default dev).</summary>
    public string? Environment { get; set; }

    /// <summary>The model URI the endpoint serves first, e.g. <c>models:/churn@champion</c>.</summary>
    public string? ModelUri { get; set; }

    /// <summary>Rollout limits; the defaults when null.</summary>
    public RolloutPolicy? Policy { get; set; }

    /// <summary>Guard rails; the defaults when null.</summary>
    public EndpointLimits? Limits { get; set; }

    /// <summary>For A/B: <c>header:NAME</c> or <c>field:NAME</c>.</summary>
    public string? StickyKey { get; set; }

    /// <summary>Input columns the prediction log must not keep as sent: column → <c>mask</c>, <c>hash</c> or <c>drop</c>.</summary>
    public Dictionary<string, string>? SensitiveColumns { get; set; }

    /// <summary>Features read online by entity key and added to each request row before scoring.</summary>
    public EndpointFeatures? Features { get; set; }
}

/// <summary>Sets a static split: canary or A/B (a challenger at a weight), shadow, or blue-green (switch all at once).</summary>
public sealed class SetTrafficRequest
{
    /// <summary>The traffic mode to switch to.</summary>
    public EndpointMode? Mode { get; set; }

    /// <summary>The second version: challenger, variant B, shadow or the new colour.</summary>
    public string? ModelUri { get; set; }

    /// <summary>Its share of live traffic in percent (canary and A/B).</summary>
    public int? Weight { get; set; }

    /// <summary>For A/B: <c>header:NAME</c> or <c>field:NAME</c>.</summary>
    public string? StickyKey { get; set; }

    /// <summary>Apply only if the endpoint is still at this version (as last read); otherwise 409 with the endpoint as it is.</summary>
    public long? ExpectedVersion { get; set; }
}

/// <summary>Body of <c>POST /api/2.0/keel/endpoints/{name}/rollout</c>.</summary>
public sealed class StartRolloutRequest
{
    /// <summary>The challenger's model URI.</summary>
    public string? ModelUri { get; set; }

    /// <summary>Challenger shares in percent, increasing, ending at 100 (default 10, 50, 100).</summary>
    public List<int>? Steps { get; set; }

    /// <summary>Minimum time per step, seconds (default 300 when no request hold is given).</summary>
    public double? HoldSeconds { get; set; }

    /// <summary>Challenger requests per step, instead of a time.</summary>
    public long? HoldRequests { get; set; }

    /// <summary>Limits for this rollout; the endpoint's when null.</summary>
    public RolloutPolicy? Policy { get; set; }

    /// <summary>Apply only if the endpoint is still at this version (as last read); otherwise 409 with the endpoint as it is.</summary>
    public long? ExpectedVersion { get; set; }
}

/// <summary>Optional body of promote, abort and rollback.</summary>
public sealed class EndpointActionRequest
{
    /// <summary>Why, recorded on the rollout and in the audit trail.</summary>
    public string? Reason { get; set; }

    /// <summary>Apply only if the endpoint is still at this version (as last read); otherwise 409 with the endpoint as it is.</summary>
    public long? ExpectedVersion { get; set; }
}

/// <summary>Live figures of one route since the server started.</summary>
public sealed class RouteStatsDto
{
    /// <summary>The route's model URI as configured.</summary>
    public string? ModelUri { get; set; }

    /// <summary>The version it resolved to, <c>name/version</c>; null until loaded.</summary>
    public string? Version { get; set; }

    /// <summary>What the route is for.</summary>
    public RouteRole Role { get; set; }

    /// <summary>Share of live traffic, percent.</summary>
    public int Weight { get; set; }

    /// <summary>True when its model is loaded and warm.</summary>
    public bool Ready { get; set; }

    /// <summary>Requests answered since the server started.</summary>
    public long Requests { get; set; }

    /// <summary>Requests that failed since the server started.</summary>
    public long Errors { get; set; }

    /// <summary>Median latency, milliseconds.</summary>
    public double P50Ms { get; set; }

    /// <summary>99th-percentile latency, milliseconds.</summary>
    public double P99Ms { get; set; }
}

/// <summary>An endpoint as stored, with the live figures of each route.</summary>
public sealed class EndpointResponse
{
    /// <summary>The endpoint: routes, mode, policy, limits and rollouts.</summary>
    public Endpoint? Endpoint { get; set; }

    /// <summary>Live figures per route, in route order.</summary>
    public List<RouteStatsDto>? Live { get; set; }
}

/// <summary>Answer of <c>GET /api/2.0/keel/endpoints</c>.</summary>
public sealed class ListEndpointsResponse
{
    /// <summary>Every endpoint (of the requested environment), by name.</summary>
    public List<EndpointResponse>? Endpoints { get; set; }
}

/// <summary>Answer of <c>GET /api/2.0/keel/endpoints/{name}/events</c>.</summary>
public sealed class ServingEventsResponse
{
    /// <summary>Audit events, newest first.</summary>
    public List<ServingEvent>? Events { get; set; }
}

/// <summary>Answer of a change refused because the endpoint is at another version (HTTP 409): the error and the endpoint as it is now.</summary>
public sealed class EndpointConflictResponse
{
    /// <summary>Always <c>RESOURCE_CONFLICT</c>.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>Which version the change was made from and which one is stored.</summary>
    public string? Message { get; set; }

    /// <summary>The endpoint as stored now, with this replica's live figures.</summary>
    public EndpointResponse? Endpoint { get; set; }
}
