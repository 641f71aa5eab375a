using Keel.Application;
using Keel.Application.Monitoring;
using Keel.Core.Artifacts;
using Keel.Core.Coordination;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Predictions;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Keel.ML.Repository;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Monitoring;

/// <summary>Registers continuous monitoring in a server: the service, the scheduler and the loop that leads it and runs its jobs.</summary>
public static class MonitoringComposition
{
    /// <param name="services">The server's services (serving must be registered).</param>
    /// <param name="store">The monitoring store of the metadata backend.</param>
    /// <param name="options">Bucket length, grace, retention.</param>
    /// <param name="dataDir">The data directory (model manifests are read through a cache under it).</param>
    public static IServiceCollection AddKeelMonitoring(this IServiceCollection services, IMonitoringStore store, MonitoringOptions options, string dataDir)
    {
        services.AddSingleton(store);
        services.AddSingleton(options);
        services.AddSingleton<IModelFacts>(sp => new ManifestModelFacts(new ModelRepository(
            sp.GetRequiredService<ITrackingStore>(), sp.GetRequiredService<IModelRegistryStore>(), sp.GetRequiredService<IArtifactStore>(), Path.Combine(dataDir, "model-cache"))));
        services.AddSingleton(sp => new MonitoringService(
            store, sp.GetRequiredService<IServingStore>(), sp.GetRequiredService<DatasetService>(), sp.GetRequiredService<IModelFacts>(), options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new MonitoringScheduler(
            sp.GetRequiredService<MonitoringService>(), sp.GetRequiredService<IServingStore>(), sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => new MonitoringLoop(
            sp.GetRequiredService<MonitoringScheduler>(), sp.GetRequiredService<MonitoringService>(),
            sp.GetRequiredService<IServingStore>() as ILeaseStore ?? throw new InvalidOperationException("The serving store keeps no leases."),
            sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<IPredictionLogReader>(), sp.GetRequiredService<ServingOptions>().ReplicaId,
            sp.GetRequiredService<ILogger<MonitoringLoop>>()));
        return services;
    }
}
