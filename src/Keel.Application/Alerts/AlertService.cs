using System.Globalization;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Monitoring;
using Keel.Core.Wire;

namespace Keel.Application.Alerts;

/// <summary>
/// The alerting use cases: rules (checked once here, in <see cref="AlertRuleRules"/>), alerts and
/// their feed, acknowledgement, and an evaluation pass over every enabled rule. Over HTTP (the
/// SDK's catalog) it serves reads and rule changes; evaluation needs the backend's
/// <see cref="IAlertStore"/> and the monitoring windows.
/// </summary>
public sealed class AlertService
{
    /// <summary>The most alerts or events one call returns.</summary>
    public const int MaxResults = 1000;

    private const int DefaultResults = 100;

    private readonly IAlertCatalog _catalog;
    private readonly IAlertStore? _store;
    private readonly IMonitoringMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly Action<AlertEvent>? _transitioned;
    private readonly IAuditSink _audit;

    /// <param name="catalog">Rules, alerts and the feed (a backend's store or the SDK's HTTP catalog).</param>
    /// <param name="store">The backend store the evaluator writes to, or null where evaluation is not available.</param>
    /// <param name="metrics">The monitoring windows the evaluator reads, or null.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    /// <param name="transitioned">Called after each state change the evaluator records (metrics).</param>
    /// <param name="audit">Where rule changes and acknowledgements are reported; none when null.</param>
    public AlertService(IAlertCatalog catalog, IAlertStore? store = null, IMonitoringMetrics? metrics = null, TimeProvider? time = null, Action<AlertEvent>? transitioned = null, IAuditSink? audit = null)
    {
        _audit = audit ?? NullAuditSink.Instance;
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _store = store;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _transitioned = transitioned;
    }

    /// <summary>Checks every rule, then stores them all (each with its expected_version, when given). A bad rule stores nothing.</summary>
    /// <param name="rules">The rules as written.</param>
    /// <param name="actor">Who applies them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<AlertRule>> ApplyAsync(IReadOnlyList<AlertRuleRequest?>? rules, string? actor, CancellationToken cancellationToken = default)
    {
        if (rules is null || rules.Count == 0)
        {
            throw KeelException.InvalidParameter("Missing 'rules': give at least one alert rule.");
        }

        var checkedRules = rules.Select((r, i) => (Rule: AlertRuleRules.Check(r, i), Expected: r!.ExpectedVersion)).ToList();
        var twice = checkedRules.GroupBy(r => r.Rule.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw KeelException.InvalidParameter($"Alert rule '{twice.Key}' is given twice: each rule name once.");
        }

        var stored = new List<AlertRule>(checkedRules.Count);
        foreach (var (rule, expected) in checkedRules)
        {
            stored.Add(await PutAndReportAsync(rule, expected, actor, cancellationToken).ConfigureAwait(false));
        }

        return stored;
    }

    /// <summary>Creates or updates one rule named by <paramref name="name"/>; the body's name, when given, must match.</summary>
    /// <param name="name">The rule's name (from the path).</param>
    /// <param name="rule">The rule as written.</param>
    /// <param name="actor">Who writes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AlertRuleConflictException">409 when expected_version does not match.</exception>
    public Task<AlertRule> PutAsync(string? name, AlertRuleRequest? rule, string? actor, CancellationToken cancellationToken = default)
    {
        var ruleName = AlertRuleRules.Name(name, "name");
        rule ??= new AlertRuleRequest();
        if (rule.Name is not null && rule.Name != ruleName)
        {
            throw KeelException.InvalidParameter($"Alert rule '{ruleName}': the body names rule '{rule.Name}': leave name out or make it match the path.");
        }

        rule.Name = ruleName;
        var checkedRule = AlertRuleRules.Check(rule);
        return PutAndReportAsync(checkedRule, rule.ExpectedVersion, actor, cancellationToken);
    }

    private async Task<AlertRule> PutAndReportAsync(NewAlertRule rule, long? expected, string? actor, CancellationToken cancellationToken)
    {
        var before = await _catalog.FindRuleAsync(rule.Name, cancellationToken).ConfigureAwait(false);
        var stored = await _catalog.PutRuleAsync(rule, expected, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, before is null ? "alert_rule.create" : "alert_rule.update", "alert_rule", stored.Name, RuleJson(before), RuleJson(stored)).ConfigureAwait(false);
        return stored;
    }

    // The API's own shape: the secret is never in it (has_secret only).
    private static string? RuleJson(AlertRule? rule) => rule is null ? null : System.Text.Json.JsonSerializer.Serialize(rule, AlertJson.Default.AlertRule);

    /// <summary>The rule.</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST when there is none.</exception>
    public async Task<AlertRule> GetRuleAsync(string? name, CancellationToken cancellationToken = default) =>
        await _catalog.FindRuleAsync(AlertRuleRules.Name(name, "name"), cancellationToken).ConfigureAwait(false)
        ?? throw KeelException.NotFound($"Alert rule '{name}' does not exist.");

    /// <summary>Rules by name, of one endpoint or all.</summary>
    /// <param name="endpoint">The endpoint, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<AlertRule>> ListRulesAsync(string? endpoint, CancellationToken cancellationToken = default) =>
        _catalog.ListRulesAsync(endpoint is null ? null : AlertRuleRules.Name(endpoint, "endpoint"), cancellationToken);

    /// <summary>Deletes a rule (its open alert resolves).</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="actor">Who deletes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task DeleteRuleAsync(string? name, string? actor, CancellationToken cancellationToken = default)
    {
        var ruleName = AlertRuleRules.Name(name, "name");
        var before = await _catalog.FindRuleAsync(ruleName, cancellationToken).ConfigureAwait(false);
        await _catalog.DeleteRuleAsync(ruleName, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "alert_rule.delete", "alert_rule", ruleName, RuleJson(before), null).ConfigureAwait(false);
    }

    /// <summary>Alerts newest first, filtered by endpoint, state and rule.</summary>
    /// <param name="endpoint">The endpoint, or null.</param>
    /// <param name="state">pending, firing, resolved, open (pending or firing), or null.</param>
    /// <param name="rule">The rule, or null.</param>
    /// <param name="maxResults">1 to 1000, default 100.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(string? endpoint, string? state, string? rule, int? maxResults, CancellationToken cancellationToken = default)
    {
        var max = Max(maxResults);
        var e = endpoint is null ? null : AlertRuleRules.Name(endpoint, "endpoint");
        var r = rule is null ? null : AlertRuleRules.Name(rule, "rule");
        if (state == "open")
        {
            var all = await _catalog.ListAlertsAsync(new AlertQuery(e, null, r, MaxResults), cancellationToken).ConfigureAwait(false);
            return [.. all.Where(a => a.State != AlertState.Resolved).Take(max)];
        }

        var s = state is null ? (AlertState?)null
            : AlertStateTransitions.Parse(state) ?? throw KeelException.InvalidParameter($"Invalid value '{state}' for 'state': it must be one of pending, firing, resolved, open.");
        return await _catalog.ListAlertsAsync(new AlertQuery(e, s, r, max), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An alert with its events and delivery log.</summary>
    /// <param name="id">The alert's number, as written.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<AlertDetails> GetAlertAsync(string? id, CancellationToken cancellationToken = default)
    {
        var number = Id(id);
        var alert = await _catalog.FindAlertAsync(number, cancellationToken).ConfigureAwait(false) ?? throw NoAlert(number);
        var events = await _catalog.ListEventsAsync(0, MaxResults, number, cancellationToken).ConfigureAwait(false);
        var deliveries = await _catalog.ListDeliveriesAsync(number, cancellationToken).ConfigureAwait(false);
        return new AlertDetails(alert, events, deliveries);
    }

    /// <summary>Records who acknowledged the alert; its state does not change.</summary>
    /// <param name="id">The alert's number, as written.</param>
    /// <param name="by">Who acknowledges it, or null for <paramref name="actor"/>.</param>
    /// <param name="actor">The caller, when known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<Alert> AcknowledgeAsync(string? id, string? by, string? actor, CancellationToken cancellationToken = default)
    {
        var number = Id(id);
        var who = AlertRuleRules.Actor(by ?? actor);
        var before = await _catalog.FindAlertAsync(number, cancellationToken).ConfigureAwait(false);
        var acknowledged = await _catalog.AcknowledgeAsync(number, who, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor ?? who, "alert.acknowledge", "alert", number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            before is null ? null : System.Text.Json.JsonSerializer.Serialize(before, AlertJson.Default.Alert),
            System.Text.Json.JsonSerializer.Serialize(acknowledged, AlertJson.Default.Alert)).ConfigureAwait(false);
        return acknowledged;
    }

    /// <summary>The event feed after a sequence, oldest first.</summary>
    /// <param name="after">The last sequence seen (default 0).</param>
    /// <param name="maxResults">1 to 1000, default 100.</param>
    /// <param name="alertId">Only this alert's events, as written, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<AlertEvent>> EventsAsync(long? after, int? maxResults, string? alertId, CancellationToken cancellationToken = default)
    {
        if (after is < 0)
        {
            throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid value {after} for 'after': it must be 0 or a sequence number."));
        }

        return _catalog.ListEventsAsync(after ?? 0, Max(maxResults), alertId is null ? null : Id(alertId, "alert_id"), cancellationToken);
    }

    /// <summary>
    /// One evaluation pass: every enabled rule's recent windows are read and judged, and each change
    /// is recorded with <paramref name="fence"/> (the evaluator's lease). A rule whose windows cannot
    /// be read is reported and skipped; a stale fence stops the pass.
    /// </summary>
    /// <param name="fence">The lease, or null for a one-off pass.</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    public async Task<AlertEvaluation> EvaluateAsync(LeaseFence? fence, CancellationToken cancellationToken = default)
    {
        if (_store is null || _metrics is null)
        {
            throw new KeelException(ErrorCode.InvalidState, "Alert evaluation runs on the server: it needs the metadata store and the monitoring windows.");
        }

        var now = _time.GetUtcNow();
        var events = new List<AlertEvent>();
        var errors = new List<string>();
        var rules = (await _store.ListRulesAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => r.Enabled).ToList();
        foreach (var rule in rules)
        {
            try
            {
                var change = await DecideAsync(rule, now, cancellationToken).ConfigureAwait(false);
                if (change is not null && await _store.ApplyTransitionAsync(change, fence, cancellationToken).ConfigureAwait(false) is { } recorded)
                {
                    events.Add(recorded);
                    _transitioned?.Invoke(recorded);
                }
            }
            catch (KeelException e) when (e.Code != ErrorCode.ResourceConflict)
            {
                errors.Add($"{rule.Name}: {e.Message}");
            }
        }

        return new AlertEvaluation(rules.Count, events, errors);
    }

    private async Task<AlertTransition?> DecideAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var metric = MonitoringMetric.Parse(rule.Metric, "metric");
        var window = MonitoringWindow.Parse(rule.Window, "window");
        var to = window.StartOf(now);
        var from = to - (window.Duration * AlertEvaluator.Lookback(rule));
        var points = await _metrics!.ReadAsync(rule.Endpoint, metric, window, from, to, cancellationToken).ConfigureAwait(false);
        var latest = await _store!.ListAlertsAsync(new AlertQuery(null, null, rule.Name, 1), cancellationToken).ConfigureAwait(false);
        var open = latest.Count == 1 && latest[0].State != AlertState.Resolved ? latest[0] : null;
        return AlertEvaluator.Decide(rule, open, points, now);
    }

    private static int Max(int? maxResults) =>
        maxResults switch
        {
            null => DefaultResults,
            >= 1 and <= MaxResults => maxResults.Value,
            _ => throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid value {maxResults} for 'max_results': it must be from 1 to {MaxResults}.")),
        };

    private static long Id(string? id, string field = "alert_id") =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw KeelException.InvalidParameter($"Invalid value '{id}' for '{field}': it must be an alert number (a whole number from 1).");

    private static KeelException NoAlert(long id) => KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Alert {id} does not exist."));
}
