using Keel.Application;
using Keel.Core.Artifacts;
using Keel.Core.IO;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Keel.Hosting;
using Keel.Hosting.Alerts;
using Keel.Serving;
using Keel.Server.Artifacts;
using Keel.Server.Endpoints;
using Keel.Server.Governance;
using Keel.Server.Http;

namespace Keel.Server;

/// <summary>Composes the Keel server: stores from URIs, the tracking service, and the MLflow-compatible routes.</summary>
public static class KeelServer
{
    public static WebApplication Build(KeelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDir = DataDirectory.Resolve(options.DataDir);
        OwnerOnly.CreateDirectory(dataDir);

        // Read the declared endpoint and open the stores before the host starts: a bad file or URI fails startup, naming its option.
        var auth = options.Auth ?? new Keel.Server.Governance.AuthOptions();
        Keel.Server.Governance.GovernanceComposition.CheckExposure(auth, options.Host);
        var endpointSpec = options.EndpointSpec is { } specPath ? EndpointSpecFile.Read(specPath) : null;
        var tlsCertificate = options.Tls?.Load();
        var tlsChain = options.Tls?.Chain();

        var backendUri = options.BackendStoreUri ?? DataDirectory.SqliteUri(dataDir);
        var backend = KeelBackends.OpenMetadata(backendUri, KeelBackends.BackendStoreOption, ArtifactSetup.DefaultRoot(options, dataDir));
        IArtifactStore artifactStore;
        Keel.Serving.Logging.PredictionLogDestination predictionLog;
        try
        {
            var artifactsDestination = options.ArtifactsDestination ?? DataDirectory.ArtifactsUri(dataDir);
            artifactStore = KeelBackends.OpenArtifacts(artifactsDestination);
            predictionLog = PredictionLogBackend.Open(options.PredictionLog, dataDir, artifactStore, artifactsDestination);
        }
        catch
        {
            backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        // The online feature store (embedded online.db by default), behind the serving process's cache.
        Keel.Core.Features.IOnlineFeatureStore onlineStore;
        try
        {
            onlineStore = OnlineStoreBackend.OpenAsync(options.OnlineStore, dataDir, cached: true).GetAwaiter().GetResult();
        }
        catch
        {
            backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // `keel server` prints its own one-line banner; the host's lifetime chatter would repeat it.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.WebHost.UseUrls(FormattableString.Invariant($"{(tlsCertificate is null ? "http" : "https")}://{FormatHost(options.Host)}:{options.Port}"));
        if (tlsCertificate is not null)
        {
            // The slim builder leaves HTTPS out unless asked for.
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = WireIO.MaxBodyBytes;
            // Kestrel answers a request line over its 8 KB default with a bare 414; up to 1 MB (its
            // request buffer) GET arguments reach the handlers, which apply their own limits with
            // MLflow's messages (e.g. at most 100 run_ids).
            kestrel.Limits.MaxRequestLineSize = (int)kestrel.Limits.MaxRequestBufferSize.GetValueOrDefault(1024 * 1024);
            if (tlsCertificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    https.ServerCertificate = tlsCertificate;
                    https.ServerCertificateChain = tlsChain;
                });
            }
        });

        // Factory registrations are disposed by the container at shutdown: the backend closes its
        // stores; they are registered as instances, which the container leaves alone.
        builder.Services.AddSingleton(_ => backend);
        builder.Services.AddSingleton(_ => onlineStore);
        // Online reads resolve views through the metadata backend's feature registry.
        builder.Services.AddSingleton(sp => new Keel.Application.Features.OnlineFeatureService(
            backend.Features,
            sp.GetRequiredService<Keel.Core.Features.IOnlineFeatureStore>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddSingleton<Keel.Serving.IFeatureEnricher>(sp => new Keel.Serving.FeatureEnricher(sp.GetRequiredService<Keel.Application.Features.OnlineFeatureService>()));
        builder.Services.AddSingleton(backend.Tracking);
        builder.Services.AddSingleton(_ => artifactStore);
        builder.Services.AddKeelArtifacts(artifactStore, options.ServeArtifacts);
        builder.Services.AddSingleton(backend.Registry);
        builder.Services.AddSingleton(sp => new TrackingService(sp.GetRequiredService<ITrackingStore>()));
        builder.Services.AddSingleton(sp => new Keel.Application.Promptlab.PromptlabService(sp.GetRequiredService<TrackingService>(), sp.GetRequiredService<Keel.Server.Artifacts.ArtifactLocations>().Open));
        builder.Services.AddSingleton(backend.Serving);
        builder.Services.AddSingleton(backend.Jobs);
        builder.Services.AddSingleton(backend.Datasets);
        builder.Services.AddSingleton(sp => new DatasetService(sp.GetRequiredService<Keel.Core.Data.IDatasetStore>(), artifactStore, sp.GetRequiredService<Keel.Core.Governance.IAuditSink>()));
        builder.Services.AddSingleton(sp => new LineageService(
            sp.GetRequiredService<ITrackingStore>(), sp.GetRequiredService<IModelRegistryStore>(), sp.GetRequiredService<IServingStore>(), sp.GetRequiredService<DatasetService>()));
        builder.Services.AddSingleton(sp => new ServingStoreService(sp.GetRequiredService<IServingStore>()));
        builder.Services.AddSingleton(sp => new Keel.Application.Jobs.JobService(sp.GetRequiredService<Keel.Core.Jobs.IJobQueue>()));
        builder.Services.AddSingleton(_ => new MonitoringStoreService(backend.Monitoring));
        builder.Services.AddSingleton(_ => new PipelineStoreService(backend.Pipelines));
        builder.Services.AddKeelServing(dataDir, options.Serving ?? new Keel.Serving.ServingOptions(), predictionLog);
        builder.Services.AddSingleton(sp => new RegistryService(sp.GetRequiredService<IModelRegistryStore>(), sp.GetRequiredService<ITrackingStore>(), sp.GetRequiredService<Keel.Core.Governance.IAuditSink>())
        {
            Gate = sp.GetRequiredService<Keel.Application.Governance.IChangeGate>(),
        });
        Keel.Serving.Monitoring.MonitoringComposition.AddKeelMonitoring(builder.Services, backend.Monitoring, options.Monitoring ?? new Keel.Application.Monitoring.MonitoringOptions(), dataDir);
        if (endpointSpec is not null)
        {
            // After the serving start-up (stored endpoints restored), before the server listens.
            builder.Services.AddHostedService(sp => new EndpointSpecFile(endpointSpec, sp.GetRequiredService<ServingService>(), sp.GetRequiredService<ILogger<EndpointSpecFile>>()));
        }

        // Alerts judge the monitoring windows the API shows (tests may inject other figures).
        builder.Services.AddSingleton<Keel.Core.Monitoring.IMonitoringMetrics>(sp =>
            options.MonitoringMetrics ?? new Keel.Application.Monitoring.MonitoringMetrics(sp.GetRequiredService<Keel.Application.Monitoring.MonitoringService>()));
        builder.Services.AddKeelAlerts(options.Alerts ?? new Keel.Application.Alerts.AlertOptions(), sp => sp.GetRequiredService<ServingMetrics>().Registry);
        Keel.Pipelines.Hosting.PipelineComposition.AddKeelPipelines(
            builder.Services, backend.Pipelines, options.Pipelines ?? new Keel.Pipelines.Hosting.PipelineHostOptions(), dataDir,
            sp => sp.GetRequiredService<Keel.Serving.ServingOptions>().ReplicaId);
        Keel.Server.Governance.GovernanceComposition.AddKeelGovernance(builder.Services, auth, backend);
        // Users, tokens, permissions, groups and roles; also how requests are authenticated (password, token).
        builder.Services.AddSingleton(backend.Governance);
        builder.Services.AddSingleton(sp => new Keel.Application.Governance.UserService(
            sp.GetRequiredService<Keel.Core.Governance.IGovernanceStore>(), sp.GetRequiredService<Keel.Core.Governance.IAuditSink>()));
        // Governance: the backend's hash-chained audit log, which every use case reports its changes to.
        builder.Services.AddSingleton(backend.Audit);
        // Entries recorded while an approved change is carried out name the approval (ApprovalAuditSink).
        builder.Services.AddSingleton<Keel.Core.Governance.IAuditSink>(new Keel.Application.Governance.ApprovalAuditSink(new Keel.Application.Governance.RedactingAuditSink(options.Audit ?? backend.Audit)));
        builder.Services.AddSingleton(sp => new Keel.Application.Governance.AuditService(backend.Audit));
        // The feature registry: its production check reads the endpoints and their environments.
        builder.Services.AddSingleton(sp => new Keel.Application.Features.FeatureRegistryService(
            backend.Features, sp.GetRequiredService<IServingStore>(), sp.GetRequiredService<Keel.Core.Governance.IAuditSink>(),
            sp.GetRequiredService<Keel.Application.Governance.EnvironmentResolver>(), sp.GetRequiredService<IModelRegistryStore>()));
        // Environments and approvals: the gate deploying changes pass, the use cases, the expiry sweep.
        Governance.ApprovalComposition.AddKeelApprovals(
            builder.Services, backend, options.Approvals ?? new Keel.Application.Governance.ApprovalOptions(), sp => sp.GetRequiredService<Keel.Serving.ServingOptions>().ReplicaId);
        builder.Services.AddKeelOpenApi();
        builder.Services.AddKeelRateLimits(options.RateLimit);

        var app = builder.Build();
        try
        {
            GovernanceComposition.BootstrapAsync(auth, backend.Governance, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        app.UseKeelErrors();
        app.UseSlashMerging();
        app.UseRouting();
        // After routing: the content-type rule applies to requests that reach an endpoint.
        app.UseKeelSecurity(options.Security ?? new SecurityOptions(), options.Host);
        // Who is calling, and may they: after the host and origin checks, before anything the route does.
        app.UseKeelAuth(auth);
        // Rate limits count requests per authenticated user: this must follow the authentication middleware.
        app.UseKeelRateLimits(options.RateLimit);
        app.UseDotSegmentRejection();
        app.UseArtifactModes(options.ServeArtifacts, options.ArtifactsOnly);
        HealthEndpoints.Map(app);
        ExperimentEndpoints.Map(app);
        RunEndpoints.Map(app);
        MetricEndpoints.Map(app);
        ChartEndpoints.Map(app);
        GatewayProxyEndpoints.Map(app, options.DeploymentsTarget);
        Graphql.GraphqlEndpoints.Map(app);
        ArtifactEndpoints.Map(app);
        ArtifactUiEndpoints.Map(app);
        RegisteredModelEndpoints.Map(app);
        ModelVersionEndpoints.Map(app);
        ServingEndpoints.Map(app);
        InferenceEndpoints.Map(app);
        JobEndpoints.Map(app);
        ServingStoreEndpoints.Map(app);
        DatasetEndpoints.Map(app);
        LineageEndpoints.Map(app);
        MonitoringEndpoints.Map(app);
        MonitoringStoreEndpoints.Map(app);
        AlertEndpoints.Map(app);
        FeatureEndpoints.Map(app);
        EnvironmentEndpoints.Map(app);
        PipelineStoreEndpoints.Map(app);
        PipelineEndpoints.Map(app);
        GovernanceEndpoints.Map(app);
        AuditEndpoints.Map(app);
        OnlineFeatureEndpoints.Map(app);
        app.MapKeelOpenApi();
        UiEndpoints.Map(app, Keel.Ui.UiAssets.Open(options.UiDirectory ?? Environment.GetEnvironmentVariable("KEEL_UI_DIR")));
        return app;
    }

    private static string FormatHost(string host) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
