using Keel.Application.Alerts;
using Keel.Core.Backends;
using Keel.Core.Coordination;
using Keel.Core.Monitoring;
using Keel.Core.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Keel.Hosting.Alerts;

/// <summary>
/// Registers alerting in a host (<c>keel server</c>, later <c>keel worker</c>): the
/// <see cref="AlertService"/>, the evaluator loop and the webhook delivery loop (each a singleton
/// across replicas by lease), and the alert metrics in the given Prometheus registry. The host
/// registers the <see cref="IMetadataBackend"/>, the <see cref="IServingStore"/> (its leases),
/// the <see cref="IMonitoringMetrics"/> the evaluator reads and a <see cref="TimeProvider"/>.
/// </summary>
public static class AlertComposition
{
    /// <summary>Adds alerting.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">Interval, webhook secret, attempts and backoff (<see cref="AlertOptions.FromEnvironment"/>).</param>
    /// <param name="registry">The Prometheus registry /metrics exports.</param>
    /// <param name="runLoops">False registers the service and metrics without the background loops (a host that only answers the API).</param>
    public static IServiceCollection AddKeelAlerts(this IServiceCollection services, AlertOptions options, Func<IServiceProvider, CollectorRegistry> registry, bool runLoops = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(sp => new AlertMetrics(registry(sp), sp.GetRequiredService<IMetadataBackend>().Alerts));
        services.AddSingleton(sp =>
        {
            var alerts = sp.GetRequiredService<IMetadataBackend>().Alerts;
            var metrics = sp.GetRequiredService<AlertMetrics>();
            return new AlertService(alerts, alerts, sp.GetRequiredService<IMonitoringMetrics>(), sp.GetRequiredService<TimeProvider>(), metrics.Transitioned,
                sp.GetService<Keel.Core.Governance.IAuditSink>());
        });
        // One client for every receiver; connections are recycled so a receiver's DNS change is seen.
        services.AddSingleton(_ => new WebhookClient(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })));
        services.AddSingleton(sp => new WebhookDeliverer(
            sp.GetRequiredService<IMetadataBackend>().Alerts, sp.GetRequiredService<WebhookClient>().Http, options, sp.GetRequiredService<TimeProvider>()));
        if (runLoops)
        {
            services.AddHostedService(sp => new AlertEvaluationLoop(
                sp.GetRequiredService<AlertService>(), Leases(sp), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlertEvaluationLoop>>()));
            services.AddHostedService(sp => new WebhookDeliveryLoop(
                sp.GetRequiredService<WebhookDeliverer>(), Leases(sp), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WebhookDeliveryLoop>>()));
        }

        return services;
    }

    private static ILeaseStore Leases(IServiceProvider sp) =>
        sp.GetService<ILeaseStore>() ?? sp.GetRequiredService<IServingStore>() as ILeaseStore
        ?? throw new InvalidOperationException("The serving store provides no leases: the alert evaluator cannot run as a singleton.");
}
