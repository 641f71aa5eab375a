using Keel.Core.Artifacts;

namespace Keel.Core.Backends;

/// <summary>What a metadata backend is opened with.</summary>
/// <param name="Uri">The backend store URI, e.g. <c>sqlite:////data/keel.db</c> or <c>postgresql://user:pass@host:5432/db</c>.</param>
/// <param name="Option">Where the URI came from (<c>--backend-store-uri</c>, a variable), named in every message about it.</param>
/// <param name="DefaultArtifactRoot">Where new experiments put artifacts; the Default experiment of a new database gets <c>&lt;root&gt;/0</c>.</param>
public sealed record MetadataBackendSettings(string Uri, string Option, string DefaultArtifactRoot = ArtifactUri.ProxyRoot);
