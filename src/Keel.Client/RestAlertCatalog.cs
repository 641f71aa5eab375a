using System.Globalization;
using Keel.Client.Internal;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Core.Wire;

namespace Keel.Client;

/// <summary>
/// Alerting over a Keel server's API (<c>/api/2.0/keel/alerts</c>): the same
/// <see cref="IAlertCatalog"/> the embedded stores implement, so the CLI and SDK work the same
/// against a server, plus applying rules from a file and running an evaluation pass. Reads are
/// retried on transient failures; changes are not.
/// </summary>
public sealed class RestAlertCatalog : IAlertCatalog
{
    private const string Api = "/api/2.0/keel/alerts";
    private readonly RestTransport _transport;

    internal RestAlertCatalog(RestTransport transport) => _transport = transport;

    /// <inheritdoc/>
    public async Task<AlertRule> PutRuleAsync(NewAlertRule rule, long? expectedVersion, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var request = new AlertRuleRequest
        {
            Name = rule.Name, Endpoint = rule.Endpoint, Metric = rule.Metric, Window = rule.Window, Warning = rule.Warning, Critical = rule.Critical,
            Direction = rule.Direction == AlertDirection.Below ? "below" : "above", MinSamples = rule.MinSamples, For = rule.For, Webhooks = [.. rule.Webhooks],
            Enabled = rule.Enabled, Secret = rule.Secret, ExpectedVersion = expectedVersion,
        };
        return (await _transport.SendJsonAsync(
            HttpMethod.Put, RulePath(rule.Name), request, AlertJson.Default.AlertRuleRequest, AlertJson.Default.AlertRuleResponse, retry: false, actor, cancellationToken).ConfigureAwait(false)).Rule
            ?? throw Malformed("rule");
    }

    /// <summary>Applies rules as written (a file's): the server checks them all and stores all or none.</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="actor">Who applies them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<AlertRule>> ApplyAsync(IReadOnlyList<AlertRuleRequest> rules, string? actor, CancellationToken cancellationToken = default) =>
        (await _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/rules", new ApplyAlertRulesRequest { Rules = [.. rules] }, AlertJson.Default.ApplyAlertRulesRequest, AlertJson.Default.AlertRulesResponse,
            retry: false, actor, cancellationToken).ConfigureAwait(false)).Rules ?? [];

    /// <inheritdoc/>
    public Task<AlertRule?> FindRuleAsync(string name, CancellationToken cancellationToken = default) =>
        OrNullAsync(async () => (await _transport.GetJsonAsync(RulePath(name), [], AlertJson.Default.AlertRuleResponse, cancellationToken).ConfigureAwait(false)).Rule);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AlertRule>> ListRulesAsync(string? endpoint, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(Api + "/rules", [new("endpoint", endpoint)], AlertJson.Default.AlertRulesResponse, cancellationToken).ConfigureAwait(false)).Rules ?? [];

    /// <inheritdoc/>
    public Task DeleteRuleAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Delete, RulePath(name), new EvaluateAlertsRequest(), AlertJson.Default.EvaluateAlertsRequest, AlertJson.Default.AlertRuleResponse, retry: false, actor, cancellationToken);

    /// <inheritdoc/>
    public Task<Alert?> FindAlertAsync(long id, CancellationToken cancellationToken = default) =>
        OrNullAsync(async () => (await _transport.GetJsonAsync(AlertPath(id), [], AlertJson.Default.AlertResponse, cancellationToken).ConfigureAwait(false)).Alert);

    /// <summary>An alert with its events and delivery log, or null.</summary>
    /// <param name="id">The alert's number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<AlertResponse?> GetAlertDetailsAsync(long id, CancellationToken cancellationToken = default) =>
        OrNullAsync(async () => (AlertResponse?)await _transport.GetJsonAsync(AlertPath(id), [], AlertJson.Default.AlertResponse, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return (await _transport.GetJsonAsync(
            Api,
            [new("endpoint", query.Endpoint), new("state", query.State is { } s ? AlertStateTransitions.Name(s) : null), new("rule", query.Rule), new("max_results", Number(query.MaxResults))],
            AlertJson.Default.AlertsResponse, cancellationToken).ConfigureAwait(false)).Alerts ?? [];
    }

    /// <inheritdoc/>
    public async Task<Alert> AcknowledgeAsync(long id, string actor, CancellationToken cancellationToken = default) =>
        (await _transport.SendJsonAsync(
            HttpMethod.Post, AlertPath(id) + "/ack", new AckAlertRequest { By = actor }, AlertJson.Default.AckAlertRequest, AlertJson.Default.AlertResponse, retry: false, actor, cancellationToken).ConfigureAwait(false)).Alert
        ?? throw Malformed("alert");

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long after, int maxResults, long? alertId, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(
            Api + "/events", [new("after", Number(after)), new("max_results", Number(maxResults)), new("alert_id", alertId is { } a ? Number(a) : null)],
            AlertJson.Default.AlertEventsResponse, cancellationToken).ConfigureAwait(false)).Events ?? [];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(long alertId, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await _transport.GetJsonAsync(AlertPath(alertId) + "/deliveries", [], AlertJson.Default.AlertDeliveriesResponse, cancellationToken).ConfigureAwait(false)).Deliveries ?? [];
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            // As the embedded stores answer: an unknown alert has no deliveries.
            return [];
        }
    }

    /// <summary>Runs one evaluation pass on the server now.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<EvaluateAlertsResponse> EvaluateAsync(CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/evaluate", new EvaluateAlertsRequest(), AlertJson.Default.EvaluateAlertsRequest, AlertJson.Default.EvaluateAlertsResponse, retry: false, null, cancellationToken);

    private static string RulePath(string name) => Api + "/rules/" + Uri.EscapeDataString(name);

    private static string AlertPath(long id) => Api + "/" + Number(id);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static KeelException Malformed(string field) => new(ErrorCode.InternalError, $"The server's alert answer has no '{field}'.");

    private static async Task<T?> OrNullAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }
}
