using Keel.Core.Artifacts;
using Keel.Core.Backends;

namespace Keel.Artifacts;

/// <summary>Artifacts as files: <c>file:///&lt;absolute path&gt;</c> or a plain directory path.</summary>
public sealed class LocalArtifactBackendProvider : IArtifactBackendProvider
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Schemes { get; } = ["file"];

    /// <inheritdoc/>
    public string Form => "file:///<absolute path>";

    /// <inheritdoc/>
    public bool OpensPlainPaths => true;

    /// <inheritdoc/>
    public IArtifactStore Open(string uri, string option)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        var location = ArtifactUri.Parse(uri);
        return location.Kind == ArtifactUriKind.Local && location.LocalPath is { Length: > 0 } path
            ? new LocalArtifactStore(Path.GetFullPath(path))
            : throw new ArgumentException($"Invalid artifacts destination '{uri}' ({option}): expected file:///<absolute path> or a directory path.", nameof(uri));
    }
}
