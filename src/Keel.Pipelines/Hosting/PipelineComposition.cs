using Keel.Application;
using Keel.Application.Data;
using Keel.Application.Jobs;
using Keel.Application.Pipelines;
using Keel.Application.Pipelines.Scheduling;
using Keel.Core.Artifacts;
using Keel.Core.Coordination;
using Keel.Core.Data;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Keel.ML.Repository;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Pipelines.Hosting;

/// <summary>Registers pipelines in a server: step types, the runner, the scheduler and the loop that leads it and runs steps.</summary>
public static class PipelineComposition
{
    /// <summary>The step types over a set of services (what a server or worker runs).</summary>
    /// <param name="services">The services the step types work with.</param>
    public static StepTypeCatalog Catalog(PipelineServices services) => new(BuiltInSteps.All(services));

    /// <param name="services">The server's services (stores, tracking, registry, datasets and serving must be registered).</param>
    /// <param name="store">The pipeline store of the metadata backend.</param>
    /// <param name="options">In-process steps, workers, scheduler interval.</param>
    /// <param name="dataDir">The data directory (work directories and caches go under it).</param>
    /// <param name="replica">This replica's id (the lease holder).</param>
    public static IServiceCollection AddKeelPipelines(this IServiceCollection services, IPipelineStore store, PipelineHostOptions options, string dataDir, Func<IServiceProvider, string> replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        services.AddSingleton(store);
        services.AddSingleton(options);
        services.AddSingleton(new JobSignal());
        services.AddSingleton(sp => new PipelineServices(
            sp.GetRequiredService<TrackingService>(),
            sp.GetRequiredService<RegistryService>(),
            sp.GetRequiredService<DatasetService>(),
            sp.GetRequiredService<IArtifactStore>(),
            new ModelRepository(sp.GetRequiredService<ITrackingStore>(), sp.GetRequiredService<IModelRegistryStore>(), sp.GetRequiredService<IArtifactStore>(), Path.Combine(dataDir, "model-cache")),
            new DatasetWorkflow(sp.GetRequiredService<DatasetService>(), sp.GetRequiredService<IArtifactStore>(), Path.Combine(dataDir, "data-cache")),
            sp.GetService<ServingService>(),
            Path.Combine(dataDir, "pipelines", "cache"),
            Materializer: sp.GetService<Keel.Core.Features.IOnlineFeatureStore>() is { } online
                ? () =>
                {
                    var workflow = new DatasetWorkflow(sp.GetRequiredService<DatasetService>(), sp.GetRequiredService<IArtifactStore>(), Path.Combine(dataDir, "data-cache"));
                    return new Keel.Application.Features.Materializer(
                        sp.GetRequiredService<Keel.Core.Backends.IMetadataBackend>().Features, online,
                        new Keel.Application.Features.ScannerRowSource(async (uri, ct) => (await workflow.CheckoutAsync(uri, null, ct).ConfigureAwait(false)).LocalPath),
                        sp.GetService<TimeProvider>(), sp.GetRequiredService<IServingStore>() as ILeaseStore, replica(sp));
                }
                : null));
        services.AddSingleton(sp => Catalog(sp.GetRequiredService<PipelineServices>()));
        services.AddSingleton(sp => new PipelineRunner(
            store, sp.GetRequiredService<StepTypeCatalog>(), sp.GetRequiredService<IJobQueue>(),
            new PipelineInputResolver(sp.GetRequiredService<DatasetService>(), sp.GetRequiredService<IModelRegistryStore>(), sp.GetRequiredService<ITrackingStore>()),
            sp.GetRequiredService<TrackingService>(),
            new PipelineOptions(Path.Combine(dataDir, "pipelines", "work"), options.StepTimeout),
            sp.GetRequiredService<JobSignal>(), sp.GetService<TimeProvider>(), sp.GetService<Keel.Core.Governance.IAuditSink>()));
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILogger<PipelineScheduler>>();
            return new PipelineScheduler(
                sp.GetRequiredService<PipelineRunner>(), sp.GetRequiredService<IDatasetStore>(), sp.GetRequiredService<Keel.Core.Backends.IMetadataBackend>().Alerts, sp.GetRequiredService<IModelRegistryStore>(),
                sp.GetRequiredService<IJobQueue>(), sp.GetService<TimeProvider>(), line => logger.LogDebug("{Line}", line));
        });
        services.AddHostedService(sp => new PipelineLoop(
            sp.GetRequiredService<PipelineRunner>(), sp.GetRequiredService<PipelineScheduler>(),
            sp.GetRequiredService<IServingStore>() as ILeaseStore ?? throw new InvalidOperationException("The serving store keeps no leases."),
            sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<JobSignal>(), options, replica(sp), sp.GetRequiredService<ILogger<PipelineLoop>>()));
        return services;
    }
}
