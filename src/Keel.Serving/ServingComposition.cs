using Keel.Application;
using Keel.Core.Artifacts;
using Keel.Core.Coordination;
using Keel.Core.Predictions;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Keel.Serving.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Serving;

/// <summary>Registers the model server's parts, so the host composes serving in one call.</summary>
public static class ServingComposition
{
    /// <param name="dataDir">Data directory: models are cached under serving-cache/, the prediction log under predictions/.</param>
    /// <param name="options">The model server's settings, read and checked by the host at start.</param>
    /// <param name="predictionLog">Where the prediction log goes; default JSON Lines files under the data directory.</param>
    public static IServiceCollection AddKeelServing(this IServiceCollection services, string dataDir, ServingOptions options, PredictionLogDestination? predictionLog = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options;
        var destination = predictionLog ?? PredictionLogDestination.Files(dataDir);
        services.AddSingleton(o);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServingMetrics>();
        services.AddSingleton(sp => new ModelHost(
            sp.GetRequiredService<ITrackingStore>(), sp.GetRequiredService<IModelRegistryStore>(), sp.GetRequiredService<IArtifactStore>(),
            Path.Combine(dataDir, "serving-cache"), sp.GetRequiredService<ServingMetrics>()));
        services.AddSingleton(sp => new ServingRuntime(
            sp.GetRequiredService<ModelHost>(), sp.GetRequiredService<ServingMetrics>(), o, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Keel.Serving")));
        services.AddSingleton(sp => new ServingService(
            sp.GetRequiredService<IServingStore>(), sp.GetRequiredService<ServingRuntime>(), sp.GetRequiredService<TimeProvider>(),
            new RegistryModelPinner(sp.GetRequiredService<IModelRegistryStore>()),
            sp.GetService<Keel.Core.Governance.IAuditSink>())
        {
            Gate = sp.GetService<Keel.Application.Governance.IChangeGate>() ?? Keel.Application.Governance.IChangeGate.Open,
        });
        services.AddSingleton(sp => new PredictionLog(o, sp.GetRequiredService<ServingMetrics>()));
        services.AddSingleton(sp => new InferenceEngine(
            sp.GetRequiredService<ServingRuntime>(), sp.GetRequiredService<PredictionLog>(), sp.GetRequiredService<ServingMetrics>(), o, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LiveStats(sp.GetRequiredService<ServingRuntime>()));
        services.AddHostedService(sp => new ServingStartup(sp.GetRequiredService<ServingRuntime>(), sp.GetRequiredService<IServingStore>()));
        services.AddSingleton(sp => destination.Open(o, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IPredictionLogSink>(sp => sp.GetRequiredService<IPredictionLogBackend>());
        services.AddSingleton<IPredictionLogReader>(sp => sp.GetRequiredService<IPredictionLogBackend>());
        services.AddHostedService(sp => new PredictionLogWriter(
            sp.GetRequiredService<PredictionLog>(), sp.GetRequiredService<IPredictionLogSink>(), destination.Flush(o), o,
            sp.GetRequiredService<ServingMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PredictionLogWriter>>(),
            new PredictionLogProtection(dataDir)));
        services.AddHostedService(sp => new ServingSync(
            sp.GetRequiredService<ServingRuntime>(), sp.GetRequiredService<IServingStore>(), sp.GetRequiredService<ILogger<ServingSync>>()));
        // The serving store is also where leases and rollout figures live (same database, so a
        // leader's fence is checked in the same transaction as its decision).
        services.AddSingleton(sp => new RolloutController(
            sp.GetRequiredService<ServingRuntime>(), sp.GetRequiredService<ServingService>(), sp.GetRequiredService<IServingStore>(),
            Require<IServingStatsStore>(sp), Require<ILeaseStore>(sp), sp.GetRequiredService<ServingMetrics>(), o,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RolloutController>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RolloutController>());
        return services;
    }

    private static T Require<T>(IServiceProvider sp)
        where T : class =>
        sp.GetService<T>() ?? sp.GetRequiredService<IServingStore>() as T
        ?? throw new InvalidOperationException($"The serving store {sp.GetRequiredService<IServingStore>().GetType().Name} does not provide {typeof(T).Name}.");
}
