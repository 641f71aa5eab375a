using Keel.Core.Serving;

namespace Keel.Cli.Commands.Deploy;

/// <summary>
/// An endpoint as it will be deployed: every route's model URI pinned to the immutable version it
/// names now, so every replica started from the manifests serves the same thing even if an alias
/// moves later.
/// </summary>
/// <param name="Endpoint">The endpoint with pinned route URIs and no rollout state.</param>
/// <param name="Routes">How each route was resolved, in route order.</param>
internal sealed record ResolvedEndpoint(Endpoint Endpoint, IReadOnlyList<ResolvedRoute> Routes);
