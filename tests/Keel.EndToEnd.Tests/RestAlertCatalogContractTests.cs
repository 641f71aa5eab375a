using Keel.Client;
using Keel.Core.Backends;
using Keel.Core.Coordination;
using Keel.Core.Monitoring;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="RestAlertCatalog"/> enrolls in the alert store contract: each test gets a
/// fresh in-process server, and every read and rule change goes over real HTTP. The evaluator's and
/// deliverer's writes (transitions, delivery attempts, leases) have no HTTP API, as only the server
/// makes them: the test makes them on the server's own store, and reads their effect back over HTTP.
/// </summary>
public sealed class RestAlertCatalogContractTests : AlertStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    protected override (IAlertStore Alerts, ILeaseStore Leases) CreateStores()
    {
        // The server's own loops would act on the rows the contract writes: they wait a day here.
        var quiet = new Keel.Application.Alerts.AlertOptions { Interval = TimeSpan.FromDays(1), DeliveryPoll = TimeSpan.FromDays(1) };
        var (client, services) = _servers.Start(new Keel.Server.KeelServerOptions { Alerts = quiet });
        var backend = services.GetRequiredService<IMetadataBackend>();
        return (new OverHttp(client.Alerts, backend.Alerts), (ILeaseStore)backend.Serving);
    }

    private sealed class OverHttp(RestAlertCatalog http, IAlertStore server) : IAlertStore
    {
        public Task<AlertRule> PutRuleAsync(NewAlertRule rule, long? expectedVersion, string? actor, CancellationToken cancellationToken = default) => http.PutRuleAsync(rule, expectedVersion, actor, cancellationToken);

        public Task<AlertRule?> FindRuleAsync(string name, CancellationToken cancellationToken = default) => http.FindRuleAsync(name, cancellationToken);

        public Task<IReadOnlyList<AlertRule>> ListRulesAsync(string? endpoint, CancellationToken cancellationToken = default) => http.ListRulesAsync(endpoint, cancellationToken);

        public Task DeleteRuleAsync(string name, string? actor, CancellationToken cancellationToken = default) => http.DeleteRuleAsync(name, actor, cancellationToken);

        public Task<Alert?> FindAlertAsync(long id, CancellationToken cancellationToken = default) => http.FindAlertAsync(id, cancellationToken);

        public Task<IReadOnlyList<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default) => http.ListAlertsAsync(query, cancellationToken);

        public Task<Alert> AcknowledgeAsync(long id, string actor, CancellationToken cancellationToken = default) => http.AcknowledgeAsync(id, actor, cancellationToken);

        public Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long after, int maxResults, long? alertId, CancellationToken cancellationToken = default) => http.ListEventsAsync(after, maxResults, alertId, cancellationToken);

        public Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(long alertId, CancellationToken cancellationToken = default) => http.ListDeliveriesAsync(alertId, cancellationToken);

        public Task<AlertEvent?> ApplyTransitionAsync(AlertTransition transition, LeaseFence? fence, CancellationToken cancellationToken = default) => server.ApplyTransitionAsync(transition, fence, cancellationToken);

        public Task<IReadOnlyList<PendingDelivery>> DueDeliveriesAsync(long now, int maxResults, CancellationToken cancellationToken = default) => server.DueDeliveriesAsync(now, maxResults, cancellationToken);

        public Task RecordDeliveryAsync(DeliveryAttempt attempt, LeaseFence? fence, CancellationToken cancellationToken = default) => server.RecordDeliveryAsync(attempt, fence, cancellationToken);
    }
}
