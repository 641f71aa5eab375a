using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Configuration;
using Keel.Core.Errors;
using Keel.Hosting;
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
        var backendStore = new Option<string?>("--backend-store-uri") { Description = "Metadata store URI (sqlite:///..., postgresql://...). Default: KEEL_BACKEND_STORE_URI, else <data-dir>/keel.db." };
        var artifactsDestination = new Option<string?>("--artifacts-destination") { Description = "Where the artifact proxy stores files (file:///... or a directory). Default: <data-dir>/artifacts." };
        var defaultRoot = new Option<string?>("--default-artifact-root") { Description = "Artifact location of new experiments, each under <root>/<experiment_id> (mlflow-artifacts:, file:///..., a path, s3://...). Default: mlflow-artifacts: (proxied by this server)." };
        var serveArtifacts = new Option<bool>("--serve-artifacts") { Description = "Proxy artifacts through /api/2.0/mlflow-artifacts (the default)." };
        var noServeArtifacts = new Option<bool>("--no-serve-artifacts") { Description = "Do not proxy artifacts; clients read and write the default artifact root themselves." };
        var artifactsOnly = new Option<bool>("--artifacts-only") { Description = "Serve only the artifact proxy (/api/2.0/mlflow-artifacts), no tracking, registry or serving." };

        var allowedHosts = new Option<string?>("--allowed-hosts") { Description = "Comma-separated Host names the server answers (host, host:port, *.domain; * for any). Default: localhost and the bound address." };
        var corsOrigins = new Option<string?>("--cors-allowed-origins") { Description = "Comma-separated origins (scheme://host[:port], * for any) whose web pages may call the API. Default: none (CORS closed)." };
        var onlineStore = new Option<string?>("--online-store") { Description = "The online feature store: sqlite:///path or redis://[user:password@]host:port[/db][?prefix=keel:fs:] (password also from KEEL_REDIS_PASSWORD). Default: KEEL_ONLINE_STORE, else online.db in the data directory." };
        var predictionLog = new Option<string?>("--prediction-log") { Description = "Where the prediction log goes: a directory or file:///... (JSON Lines), s3://bucket/prefix or mlflow-artifacts: (Parquet objects, the latter in the artifacts destination). Default: the data directory." };
        var retention = new Option<double?>("--prediction-log-retention-days") { Description = $"Days of prediction log to keep; older day files are deleted. Default: {KeelEnvironment.PredictionLogRetentionDays}, else keep all." };

        var auth = new Option<bool>("--auth") { Description = "Require sign-in (passwords, API tokens, OIDC) and enforce permissions; needed to listen on a non-loopback address. First admin: KEEL_ADMIN_USERNAME and KEEL_ADMIN_PASSWORD." };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate (chain) to serve HTTPS with; needs --tls-key. Default: KEEL_TLS_CERT, else plain HTTP." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert. Default: KEEL_TLS_KEY." };
        var rateLimit = new Option<int?>("--rate-limit") { Description = "Requests per second each user (or client address) may make; a request over it gets 429 with Retry-After. Default: KEEL_RATE_LIMIT, else no limit." };

        var endpointSpec = new Option<string?>("--endpoint-spec") { Description = "A file declaring one endpoint (the spec `keel deploy kubernetes` writes), applied at start: created when missing, its traffic made what the file says when it differs." };

        var command = new Command("server", "Run the Keel tracking server (MLflow-compatible REST API).")
        {
            host, port, dataDir, backendStore, artifactsDestination, defaultRoot, serveArtifacts, noServeArtifacts, artifactsOnly,
            allowedHosts, corsOrigins, retention, predictionLog, onlineStore, endpointSpec, auth, tlsCert, tlsKey, rateLimit,
        };
        command.SetAsyncAction(async (result, _) =>
        {
            // Every setting, from options and the environment, is read and checked before anything starts.
            var dir = DataDirectory.Resolve(result.GetValue(dataDir));
            Keel.Core.IO.OwnerOnly.CreateDirectory(dir);
            if (result.GetValue(serveArtifacts) && result.GetValue(noServeArtifacts))
            {
                throw KeelException.InvalidParameter("--serve-artifacts and --no-serve-artifacts contradict each other; give one.");
            }

            var serving = Keel.Serving.ServingOptions.FromEnvironment();
            if (result.GetValue(retention) is { } days)
            {
                serving = serving with { PredictionLogRetentionDays = Keel.Serving.ServingOptions.CheckRetentionDays(days, "--prediction-log-retention-days") };
            }

            var security = new Keel.Server.Http.SecurityOptions
            {
                AllowedHosts = Keel.Server.Http.SecurityOptions.ParseList(result.GetValue(allowedHosts)),
                CorsAllowedOrigins = Keel.Server.Http.SecurityOptions.ParseList(result.GetValue(corsOrigins)),
            };
            var options = new KeelServerOptions(result.GetValue(host)!, result.GetValue(port), dir, result.GetValue(backendStore) ?? KeelEnvironment.Text(KeelEnvironment.BackendStoreUri), result.GetValue(artifactsDestination), serving, security)
            {
                DefaultArtifactRoot = result.GetValue(defaultRoot),
                ServeArtifacts = !result.GetValue(noServeArtifacts),
                ArtifactsOnly = result.GetValue(artifactsOnly),
                PredictionLog = result.GetValue(predictionLog),
                OnlineStore = result.GetValue(onlineStore),
                EndpointSpec = result.GetValue(endpointSpec),
                Auth = Keel.Server.Governance.AuthSettings.FromEnvironment(result.GetValue(auth)),
            };
            options = FromEnvironment(options);
            options = options with
            {
                Tls = Keel.Server.Http.TlsOptions.FromPair(result.GetValue(tlsCert), result.GetValue(tlsKey)) ?? options.Tls,
                RateLimit = result.GetValue(rateLimit) is { } perSecond ? Keel.Server.Http.RateLimitOptions.Create(perSecond, KeelEnvironment.WholeNumber(KeelEnvironment.RateLimitBurst, 0, 1_000_000), "--rate-limit") : options.RateLimit,
            };
            var server = KeelServer.Build(options);
            if (options.BackendStoreUri is null && !options.ArtifactsOnly)
            {
                // The data dir's database is held by this server: CLI commands on the dir come through it.
                ServerRecordAttachment.Attach(server, dir);
            }

            Console.WriteLine($"Keel server listening on {(options.Tls is null ? "http" : "https")}://{options.Host}:{options.Port} (data dir {dir}){(options.Auth!.Enabled ? ", authentication on" : string.Empty)}");
            // ASP.NET's host handles Ctrl-C and SIGTERM: it stops accepting, drains and returns.
            await server.RunAsync().ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Each reader of a server setting in the environment, one per group, for <c>keel doctor</c>: each
    /// throws INVALID_PARAMETER_VALUE naming its variable and rule when a value is bad, as the server
    /// would at start.
    /// </summary>
    internal static IEnumerable<Action> EnvironmentReaders() =>
    [
        () => KeelEnvironment.HttpUrl(KeelEnvironment.DeploymentsTarget, "an MLflow AI gateway"),
        () => Keel.Serving.ServingOptions.FromEnvironment(),
        () => Keel.Application.Monitoring.MonitoringOptions.FromEnvironment(),
        () => Keel.Application.Alerts.AlertOptions.FromEnvironment(),
        () => Keel.Pipelines.Hosting.PipelineHostOptions.FromEnvironment(),
        () => Keel.Server.Governance.AuthSettings.FromEnvironment(authFlag: false),
        () => Keel.Server.Http.TlsOptions.FromPair(KeelEnvironment.Text(KeelEnvironment.TlsCert), KeelEnvironment.Text(KeelEnvironment.TlsKey), KeelEnvironment.TlsCert, KeelEnvironment.TlsKey),
        () =>
        {
            if (KeelEnvironment.WholeNumber(KeelEnvironment.RateLimit, 1, 1_000_000) is { } perSecond)
            {
                Keel.Server.Http.RateLimitOptions.Create(perSecond, KeelEnvironment.WholeNumber(KeelEnvironment.RateLimitBurst, 0, 1_000_000), KeelEnvironment.RateLimit);
            }
        },
    ];

    /// <summary>The server settings read from the environment (KEEL_MONITORING_*, KEEL_ALERT_*, KEEL_PIPELINE_*, MLFLOW_DEPLOYMENTS_TARGET), checked now; shared by <c>keel server</c> and the server <c>keel ui</c> starts.</summary>
    internal static KeelServerOptions FromEnvironment(KeelServerOptions options) => options with
    {
        DeploymentsTarget = KeelEnvironment.HttpUrl(KeelEnvironment.DeploymentsTarget, "an MLflow AI gateway"),
        Monitoring = Keel.Application.Monitoring.MonitoringOptions.FromEnvironment(),
        Alerts = Keel.Application.Alerts.AlertOptions.FromEnvironment(),
        Pipelines = Keel.Pipelines.Hosting.PipelineHostOptions.FromEnvironment(),
        Auth = options.Auth ?? Keel.Server.Governance.AuthSettings.FromEnvironment(authFlag: false),
        Tls = Keel.Server.Http.TlsOptions.FromPair(KeelEnvironment.Text(KeelEnvironment.TlsCert), KeelEnvironment.Text(KeelEnvironment.TlsKey), KeelEnvironment.TlsCert, KeelEnvironment.TlsKey),
        RateLimit = KeelEnvironment.WholeNumber(KeelEnvironment.RateLimit, 1, 1_000_000) is { } perSecond
            ? Keel.Server.Http.RateLimitOptions.Create(perSecond, KeelEnvironment.WholeNumber(KeelEnvironment.RateLimitBurst, 0, 1_000_000), KeelEnvironment.RateLimit)
            : null,
    };
}
