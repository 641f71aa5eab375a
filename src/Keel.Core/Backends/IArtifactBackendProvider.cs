using Keel.Core.Artifacts;

namespace Keel.Core.Backends;

/// <summary>
/// An artifact storage technology (local files, S3): the URI schemes it answers and how it opens
/// them. Each artifact project provides one and adds it to a <see cref="BackendRegistry"/>.
/// </summary>
public interface IArtifactBackendProvider
{
    /// <summary>The URI schemes it opens, lower case, without <c>://</c>.</summary>
    IReadOnlyList<string> Schemes { get; }

    /// <summary>The URI form for messages, e.g. <c>s3://&lt;bucket&gt;/&lt;prefix&gt;</c>.</summary>
    string Form { get; }

    /// <summary>True when a plain directory path (no scheme) means this backend.</summary>
    bool OpensPlainPaths { get; }

    /// <summary>Checks the URI and opens the store (unguarded: the registry puts the path guard in front).</summary>
    /// <param name="uri">The destination URI.</param>
    /// <param name="option">Where the URI came from, named in every message about it.</param>
    /// <exception cref="Errors.KeelException">INVALID_PARAMETER_VALUE naming the option and the rule.</exception>
    IArtifactStore Open(string uri, string option);
}
