using Keel.Core.Serving;
using Keel.Core.Wire;

namespace Keel.Serving;

/// <summary>The live figures per route that `keel endpoints show` prints beside the stored endpoint.</summary>
public sealed class LiveStats
{
    private readonly ServingRuntime _runtime;

    internal LiveStats(ServingRuntime runtime) => _runtime = runtime;

    public EndpointResponse Describe(Endpoint endpoint)
    {
        var table = _runtime.Find(endpoint.Name);
        var live = endpoint.Routes.Select(route =>
        {
            var v = table?.Variants.FirstOrDefault(x => x.Route.ModelUri == route.ModelUri && x.Route.Role == route.Role);
            return new RouteStatsDto
            {
                ModelUri = route.ModelUri,
                Version = v?.Version,
                Role = route.Role,
                Weight = route.Weight,
                Ready = v is not null,
                Requests = v?.Live.Requests ?? 0,
                Errors = v?.Live.Errors ?? 0,
                P50Ms = v?.Live.QuantileMs(0.5) ?? 0,
                P99Ms = v?.Live.QuantileMs(0.99) ?? 0,
            };
        }).ToList();
        return new EndpointResponse { Endpoint = endpoint, Live = live };
    }
}
