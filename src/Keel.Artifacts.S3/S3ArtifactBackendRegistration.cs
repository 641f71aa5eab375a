using Keel.Core.Backends;

namespace Keel.Artifacts.S3;

/// <summary>How S3 artifact storage adds itself to a <see cref="BackendRegistry"/>.</summary>
public static class S3ArtifactBackendRegistration
{
    /// <summary>Adds <c>s3://</c> URIs as artifact destinations.</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddS3Artifacts(this BackendRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new S3ArtifactBackendProvider());
    }
}
