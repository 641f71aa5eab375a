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

/// <summary>One route's model URI before and after resolution.</summary>
/// <param name="RequestedUri">The URI as the endpoint stores it (may be an alias or a stage).</param>
/// <param name="PinnedUri">The immutable URI: <c>models:/NAME/VERSION</c>, or the <c>runs:/</c> URI itself.</param>
/// <param name="ArtifactUri">Where the model's files are.</param>
internal sealed record ResolvedRoute(string RequestedUri, string PinnedUri, string ArtifactUri);
