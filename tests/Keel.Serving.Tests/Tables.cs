using Keel.Core.Serving;

namespace Keel.Serving.Tests;

/// <summary>Builds routing tables over fake models.</summary>
internal static class Tables
{
    private static readonly ServingMetrics Metrics = new();

    public static RoutingTable Build(EndpointMode mode, params (string Uri, int Weight, RouteRole Role)[] routes)
    {
        var endpoint = new Endpoint(
            "ep", "dev", mode, [.. routes.Select(r => new Route(r.Uri, r.Weight, r.Role))], RolloutPolicy.Default, EndpointLimits.Default,
            mode == EndpointMode.AbTest ? "header:x-user" : null, null, [], 0, 0);
        var variants = endpoint.Routes.Select((r, i) => new Variant(
            r, new HostedModel(r.ModelUri, r.ModelUri, new FakeModel(i + 1)), new RouteStats(), new RouteStats(), Metrics.For("ep", r.ModelUri, "x"))).ToList();
        return new RoutingTable(endpoint, variants, new ConcurrencyGate { Limit = 10 });
    }
}
