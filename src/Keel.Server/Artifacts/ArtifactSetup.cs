using Keel.Hosting;
using Keel.Artifacts;
using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Server.Artifacts;

/// <summary>
/// The artifact options of <c>keel server</c> as <c>mlflow server</c> reads them: which root new
/// experiments get, whether the proxy routes are served, and the services that read run artifacts.
/// </summary>
internal static class ArtifactSetup
{
    /// <summary>
    /// The checked default artifact root: the option (a relative path made absolute), else the proxy
    /// when serving artifacts, else the data dir's artifact folder as a <c>file:</c> URI.
    /// </summary>
    public static string DefaultRoot(KeelServerOptions options, string dataDir)
    {
        if (options.ArtifactsOnly && !options.ServeArtifacts)
        {
            throw KeelException.InvalidParameter("--artifacts-only serves the artifact proxy, so it cannot be combined with --no-serve-artifacts.");
        }

        if (options.ArtifactsOnly && options.BackendStoreUri is not null)
        {
            throw KeelException.InvalidParameter(
                "A server in --artifacts-only mode has no tracking or registry, so it takes no --backend-store-uri; run a second server for those.");
        }

        if (options.DefaultArtifactRoot is { } root)
        {
            return ArtifactUri.CheckLocation(root, "--default-artifact-root");
        }

        return options.ServeArtifacts ? ArtifactUri.ProxyRoot : DataDirectory.ArtifactsUri(dataDir);
    }

    public static IServiceCollection AddKeelArtifacts(this IServiceCollection services, IArtifactStore destination, bool serveArtifacts)
    {
        services.AddSingleton(new ArtifactLocations(destination, serveArtifacts));
        if (GuardedArtifactStore.Unwrap(destination) is LocalArtifactStore local)
        {
            services.AddHostedService(sp => new StagingSweeper(local, sp.GetRequiredService<ILogger<StagingSweeper>>()));
        }

        return services;
    }
}
