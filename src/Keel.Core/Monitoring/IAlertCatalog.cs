namespace Keel.Core.Monitoring;

/// <summary>
/// Alert rules, alerts, their event feed and delivery log: what users and the API read and change.
/// The embedded stores and the SDK's HTTP store implement it; the evaluator's writes are on
/// <see cref="IAlertStore"/>. Implementations may assume validated input.
/// </summary>
public interface IAlertCatalog
{
    /// <summary>
    /// Creates or replaces a rule. With <paramref name="expectedVersion"/> null the rule is written
    /// whatever is stored (apply); 0 requires that no rule of that name exists; any other number
    /// requires the stored rule to be at that version.
    /// </summary>
    /// <param name="rule">The rule.</param>
    /// <param name="expectedVersion">The version the change was made from, 0 for "new", or null.</param>
    /// <param name="actor">Who changes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AlertRuleConflictException">RESOURCE_CONFLICT with the stored rule when the version differs.</exception>
    Task<AlertRule> PutRuleAsync(NewAlertRule rule, long? expectedVersion, string? actor, CancellationToken cancellationToken = default);

    /// <summary>The rule, or null.</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<AlertRule?> FindRuleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Rules by name, of one endpoint or all.</summary>
    /// <param name="endpoint">The endpoint, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AlertRule>> ListRulesAsync(string? endpoint, CancellationToken cancellationToken = default);

    /// <summary>Deletes a rule; its open alert, if any, resolves (an event, without webhook delivery: the webhooks went with the rule).</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="actor">Who deletes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no such rule.</exception>
    Task DeleteRuleAsync(string name, string? actor, CancellationToken cancellationToken = default);

    /// <summary>The alert, or null.</summary>
    /// <param name="id">The alert's number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Alert?> FindAlertAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Alerts newest first (open and recent), filtered.</summary>
    /// <param name="query">The filter and page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default);

    /// <summary>Records who acknowledged an alert and when; its state does not change. A second acknowledgement replaces the first.</summary>
    /// <param name="id">The alert's number.</param>
    /// <param name="actor">Who acknowledges it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when there is no such alert.</exception>
    Task<Alert> AcknowledgeAsync(long id, string actor, CancellationToken cancellationToken = default);

    /// <summary>The event feed: events with a sequence above <paramref name="after"/>, oldest first, of one alert or all.</summary>
    /// <param name="after">The last sequence already seen (0 for the start).</param>
    /// <param name="maxResults">The most events to return.</param>
    /// <param name="alertId">Only this alert's events, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long after, int maxResults, long? alertId, CancellationToken cancellationToken = default);

    /// <summary>The delivery log of an alert's events, oldest first.</summary>
    /// <param name="alertId">The alert's number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(long alertId, CancellationToken cancellationToken = default);
}
