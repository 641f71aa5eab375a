using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Server;

namespace Keel.Cli.Commands.Server;

/// <summary><c>keel server</c>: the tracking server (MLflow REST API and artifact proxy) on one data dir.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on.", DefaultValueFactory = _ => 5000 };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory (SQLite metadata and artifacts). Default: KEEL_DATA_DIR, else ~/.keel." };
        var backendStore = new Option<string?>("--backend-store-uri") { Description = "Metadata store URI (sqlite:///..., postgresql://...). Default: <data-dir>/keel.db." };
        var artifactsDestination = new Option<string?>("--artifacts-destination") { Description = "Where the artifact proxy stores files (file:///... or a directory). Default: <data-dir>/artifacts." };
        var defaultRoot = new Option<string?>("--default-artifact-root") { Description = "Artifact location of new experiments, each under <root>/<experiment_id> (mlflow-artifacts:, file:///..., a path, s3://...). Default: mlflow-artifacts: (proxied by this server)." };
        var serveArtifacts = new Option<bool>("--serve-artifacts") { Description = "Proxy artifacts through /api/2.0/mlflow-artifacts (the default)." };
        var noServeArtifacts = new Option<bool>("--no-serve-artifacts") { Description = "Do not proxy artifacts; clients read and write the default artifact root themselves." };
        var artifactsOnly = new Option<bool>("--artifacts-only") { Description = "Serve only the artifact proxy (/api/2.0/mlflow-artifacts), no tracking, registry or serving." };

        var command = new Command("server", "Run the Keel tracking server (MLflow-compatible REST API).")
        {
            host, port, dataDir, backendStore, artifactsDestination, defaultRoot, serveArtifacts, noServeArtifacts, artifactsOnly,
        };
        command.SetAsyncAction(async (result, _) =>
        {
            var dir = DataDirectory.Resolve(result.GetValue(dataDir));
            Directory.CreateDirectory(dir);
            if (result.GetValue(serveArtifacts) && result.GetValue(noServeArtifacts))
            {
                throw KeelException.InvalidParameter("--serve-artifacts and --no-serve-artifacts contradict each other; give one.");
            }

            var options = new KeelServerOptions(result.GetValue(host)!, result.GetValue(port), dir, result.GetValue(backendStore), result.GetValue(artifactsDestination))
            {
                DefaultArtifactRoot = result.GetValue(defaultRoot),
                ServeArtifacts = !result.GetValue(noServeArtifacts),
                ArtifactsOnly = result.GetValue(artifactsOnly),
            };
            var server = KeelServer.Build(options);
            Console.WriteLine($"Keel server listening on http://{options.Host}:{options.Port} (data dir {dir})");
            // ASP.NET's host handles Ctrl-C and SIGTERM: it stops accepting, drains and returns.
            await server.RunAsync().ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
