// Requests and responses of Keel's serving API (/api/2.0/keel/endpoints). Endpoints travel as the
// domain records themselves (Keel.Core.Serving): they are immutable values with no behaviour the
// wire could bypass, and the store persists the same JSON, so one shape is reviewed, not three.
using Keel.Core.Serving;

namespace Keel.Core.Wire;

public sealed class CreateEndpointRequest
{
    public string? Name { get; set; }

    public string? Environment { get; set; }

    public string? ModelUri { get; set; }

    public RolloutPolicy? Policy { get; set; }

    public EndpointLimits? Limits { get; set; }

    public string? StickyKey { get; set; }
}

/// <summary>Sets a static split: canary or A/B (a challenger at a weight), shadow, or blue-green (switch all at once).</summary>
public sealed class SetTrafficRequest
{
    public EndpointMode? Mode { get; set; }

    public string? ModelUri { get; set; }

    public int? Weight { get; set; }

    public string? StickyKey { get; set; }
}

public sealed class StartRolloutRequest
{
    public string? ModelUri { get; set; }

    public List<int>? Steps { get; set; }

    public double? HoldSeconds { get; set; }

    public long? HoldRequests { get; set; }

    public RolloutPolicy? Policy { get; set; }
}

public sealed class EndpointActionRequest
{
    public string? Reason { get; set; }
}

/// <summary>Live figures of one route since the server started.</summary>
public sealed class RouteStatsDto
{
    public string? ModelUri { get; set; }

    public string? Version { get; set; }

    public RouteRole Role { get; set; }

    public int Weight { get; set; }

    public bool Ready { get; set; }

    public long Requests { get; set; }

    public long Errors { get; set; }

    public double P50Ms { get; set; }

    public double P99Ms { get; set; }
}

public sealed class EndpointResponse
{
    public Endpoint? Endpoint { get; set; }

    public List<RouteStatsDto>? Live { get; set; }
}

public sealed class ListEndpointsResponse
{
    public List<EndpointResponse>? Endpoints { get; set; }
}

public sealed class ServingEventsResponse
{
    public List<ServingEvent>? Events { get; set; }
}
