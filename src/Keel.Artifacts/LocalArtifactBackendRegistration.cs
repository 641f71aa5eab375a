using Keel.Core.Backends;

namespace Keel.Artifacts;

/// <summary>How local artifact storage adds itself to a <see cref="BackendRegistry"/>.</summary>
public static class LocalArtifactBackendRegistration
{
    /// <summary>Adds <c>file://</c> URIs and plain directory paths as artifact destinations.</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddLocalArtifacts(this BackendRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new LocalArtifactBackendProvider());
    }
}
