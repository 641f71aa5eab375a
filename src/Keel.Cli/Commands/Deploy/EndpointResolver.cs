using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Serving;

namespace Keel.Cli.Commands.Deploy;

/// <summary>Reads an endpoint through the CLI's store session (a server or the embedded store) and pins its routes.</summary>
internal static class EndpointResolver
{
    public static async Task<ResolvedEndpoint> ResolveAsync(StoreSession session, string name, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(session, name, cancellationToken).ConfigureAwait(false)
            ?? throw new KeelException(ErrorCode.EndpointNotFound, $"Endpoint '{name}' does not exist.");
        var routes = new List<ResolvedRoute>(endpoint.Routes.Count);
        foreach (var route in endpoint.Routes)
        {
            var resolved = await session.Registry.ResolveModelUriAsync(route.ModelUri, cancellationToken).ConfigureAwait(false);
            var pinned = resolved.Version is { } version ? $"models:/{version.Name}/{version.Version}" : route.ModelUri;
            routes.Add(new ResolvedRoute(route.ModelUri, pinned, resolved.ArtifactUri));
        }

        // Rollout state is the running server's business, not part of what a replica is told to serve.
        var pinnedEndpoint = endpoint with
        {
            Routes = [.. endpoint.Routes.Select((r, i) => r with { ModelUri = routes[i].PinnedUri })],
            Rollout = null,
            PastRollouts = [],
        };
        return new ResolvedEndpoint(pinnedEndpoint, routes);
    }

    private static async Task<Endpoint?> FindAsync(StoreSession session, string name, CancellationToken cancellationToken)
    {
        if (session.Store is KeelClient client)
        {
            try
            {
                return (await client.GetEndpointAsync(name, cancellationToken).ConfigureAwait(false)).Endpoint;
            }
            catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.EndpointNotFound or ErrorCode.NotFound)
            {
                return null;
            }
        }

        var store = session.ServingStore ?? throw new InvalidOperationException("An embedded session has a serving store.");
        return await store.FindEndpointAsync(name, cancellationToken).ConfigureAwait(false);
    }
}
