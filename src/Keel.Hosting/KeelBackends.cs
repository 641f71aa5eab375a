using Keel.Artifacts;
using Keel.Artifacts.S3;
using Keel.Core.Artifacts;
using Keel.Core.Backends;
using Keel.Storage.Postgres;
using Keel.Storage.Sqlite;

namespace Keel.Hosting;

/// <summary>
/// The backends this build of Keel ships, each added by its own project: metadata on SQLite
/// (<c>sqlite:///</c>, a file path) or PostgreSQL (<c>postgresql://</c>); artifacts as files
/// (<c>file://</c>, a directory) or in S3 (<c>s3://</c>). The server, the worker and the CLI all
/// open stores through <see cref="Registry"/>.
/// </summary>
public static class KeelBackends
{
    /// <summary>Artifact root that new experiments get, so clients proxy artifacts through the server.</summary>
    public const string ProxiedArtifactRoot = ArtifactUri.ProxyRoot;

    /// <summary>The option a backend store URI comes from, named in messages.</summary>
    public const string BackendStoreOption = "--backend-store-uri";

    /// <summary>The option an artifacts destination comes from, named in messages.</summary>
    public const string ArtifactsDestinationOption = "--artifacts-destination";

    /// <summary>Every backend, by URI scheme.</summary>
    public static BackendRegistry Registry { get; } = new BackendRegistry()
        .AddSqlite()
        .AddPostgres()
        .AddLocalArtifacts()
        .AddS3Artifacts();

    /// <summary>Opens every metadata store on <paramref name="uri"/>.</summary>
    /// <param name="uri">The backend store URI.</param>
    /// <param name="option">Where it came from.</param>
    /// <param name="defaultArtifactRoot">Where new experiments put artifacts.</param>
    /// <exception cref="Keel.Core.Errors.KeelException">INVALID_PARAMETER_VALUE naming the option and the rule; TEMPORARILY_UNAVAILABLE when unreachable.</exception>
    public static IMetadataBackend OpenMetadata(string uri, string option = BackendStoreOption, string defaultArtifactRoot = ProxiedArtifactRoot) =>
        Registry.OpenMetadata(new MetadataBackendSettings(uri, option, defaultArtifactRoot));

    /// <summary>Opens the artifact store <paramref name="uri"/> names, behind the path guard.</summary>
    /// <param name="uri">The destination.</param>
    /// <param name="option">Where it came from.</param>
    /// <exception cref="Keel.Core.Errors.KeelException">INVALID_PARAMETER_VALUE naming the option and the rule.</exception>
    public static IArtifactStore OpenArtifacts(string uri, string option = ArtifactsDestinationOption) =>
        Registry.OpenArtifacts(uri, option);
}
