namespace Keel.Cli.Commands.Deploy;

/// <summary>One route's model URI before and after resolution.</summary>
/// <param name="RequestedUri">The URI as the endpoint stores it (may be an alias or a stage).</param>
/// <param name="PinnedUri">The immutable URI: <c>models:/NAME/VERSION</c>, or the <c>runs:/</c> URI itself.</param>
/// <param name="ArtifactUri">Where the model's files are.</param>
internal sealed record ResolvedRoute(string RequestedUri, string PinnedUri, string ArtifactUri);
