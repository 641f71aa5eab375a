using Keel.Artifacts;
using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Server.Artifacts;

/// <summary>
/// Where the server itself reads and writes a run's or a model version's artifacts (the UI routes,
/// <c>artifacts/list</c>, <c>upload-artifact</c>), as MLflow's server decides: a proxied location maps
/// to the artifact destination when this server proxies artifacts; a local one (<c>file:</c> or a
/// path) is opened in place. Anything else is reached by clients only.
/// </summary>
internal sealed class ArtifactLocations(IArtifactStore destination, bool serveArtifacts)
{
    /// <summary>The store holding <paramref name="artifactUri"/>'s artifacts and the path of its root in that store.</summary>
    public (IArtifactStore Store, string Root) Open(string artifactUri)
    {
        var uri = ArtifactUri.Parse(artifactUri);
        switch (uri.Kind)
        {
            case ArtifactUriKind.Proxied when serveArtifacts:
                return (destination, uri.ProxyPath!);
            case ArtifactUriKind.Proxied:
                throw new KeelException(
                    ErrorCode.NotImplemented,
                    $"The artifacts at '{artifactUri}' are proxied, but this server runs with --no-serve-artifacts; start it without that option to serve them.");
            case ArtifactUriKind.Local when GuardedArtifactStore.Unwrap(destination) is LocalArtifactStore local:
                return (GuardedArtifactStore.Wrap(local.Over(Path.GetFullPath(uri.LocalPath!))), string.Empty);
            default:
                throw new KeelException(
                    ErrorCode.NotImplemented,
                    $"The server does not read artifacts at '{artifactUri}'; clients read that location directly.");
        }
    }

    /// <summary>Joins a checked relative path under a root ("" is the root itself).</summary>
    public static string Join(string root, string relative) =>
        root.Length == 0 ? relative : relative.Length == 0 ? root : root + "/" + relative;
}
