using Keel.Core.Monitoring;
using Prometheus;

namespace Keel.Hosting.Alerts;

/// <summary>
/// The alerting metrics on the server's /metrics. <c>keel_alerts_firing</c> is read from the store
/// at each scrape (every replica shows the same figures, whichever leads);
/// <c>keel_alert_transitions_total</c> counts the changes this replica recorded (sum over replicas).
/// </summary>
internal sealed class AlertMetrics
{
    private const int MaxFiring = 1000;
    private readonly Gauge _firing;
    private readonly Counter _transitions;
    private readonly IAlertCatalog _alerts;
    private readonly HashSet<(string Endpoint, string Rule, string Severity)> _shown = [];
    private readonly Lock _gate = new();

    public AlertMetrics(CollectorRegistry registry, IAlertCatalog alerts)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _alerts = alerts;
        var factory = Metrics.WithCustomRegistry(registry);
        _firing = factory.CreateGauge("keel_alerts_firing", "1 while an alert of the rule fires at that severity, else 0.", ["endpoint", "rule", "severity"]);
        _transitions = factory.CreateCounter("keel_alert_transitions_total", "Alert state changes recorded by this replica, by the state moved to.", ["endpoint", "rule", "to"]);
        registry.AddBeforeCollectCallback(RefreshAsync);
    }

    /// <summary>Counts a recorded change.</summary>
    public void Transitioned(AlertEvent e) =>
        _transitions.WithLabels(e.Endpoint, e.Rule, AlertStateTransitions.Name(e.To)).Inc();

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Alert> firing;
        try
        {
            firing = await _alerts.ListAlertsAsync(new AlertQuery(null, AlertState.Firing, null, MaxFiring), cancellationToken).ConfigureAwait(false);
        }
        catch (Keel.Core.Errors.KeelException)
        {
            // The store is unreachable: keep the last figures rather than fail the whole scrape.
            return;
        }

        var now = firing.Select(a => (a.Endpoint, a.Rule, AlertStateTransitions.Name(a.Severity))).ToHashSet();
        lock (_gate)
        {
            foreach (var key in _shown.Where(k => !now.Contains(k)))
            {
                _firing.WithLabels(key.Endpoint, key.Rule, key.Severity).Set(0);
            }

            foreach (var key in now)
            {
                _firing.WithLabels(key.Endpoint, key.Rule, key.Item3).Set(1);
                _shown.Add(key);
            }
        }
    }
}
