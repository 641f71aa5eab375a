using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IAlertStore"/> backend signs up to: rules round-trip with
/// versions and optimistic concurrency; a transition is applied only from the open alert it was
/// decided from (one open alert per rule, idempotent re-evaluation); every change is an event with
/// the next sequence and queues one outbox row per webhook; deliveries are logged and settle their
/// rows; acknowledgement records who; a stale lease fence changes nothing.
/// </summary>
public abstract class AlertStoreContract : IDisposable
{
    private (IAlertStore Alerts, ILeaseStore Leases)? _stores;

    /// <summary>Returns a fresh, empty alert store and the lease store of the same database.</summary>
    protected abstract (IAlertStore Alerts, ILeaseStore Leases) CreateStores();

    protected IAlertStore Store => (_stores ??= CreateStores()).Alerts;

    protected ILeaseStore Leases => (_stores ??= CreateStores()).Leases;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task A_rule_round_trips_and_each_change_raises_its_version()
    {
        var created = await Store.PutRuleAsync(Rule("errors", "churn", webhooks: ["https://a.example/hook", "http://b.example:8080/x?y=1"], secret: "s"), null, "alice");
        Assert.Equal((1L, "alice", true), (created.Version, created.UpdatedBy, created.HasSecret));
        var read = (await Store.FindRuleAsync("errors"))!;
        Assert.Equal(
            ("churn", "error_rate", "5m", (double?)0.1, (double?)0.5, AlertDirection.Above, 10L, 2, true),
            (read.Endpoint, read.Metric, read.Window, read.Warning, read.Critical, read.Direction, read.MinSamples, read.For, read.Enabled));
        Assert.Equal(["https://a.example/hook", "http://b.example:8080/x?y=1"], read.Webhooks);

        var changed = await Store.PutRuleAsync(Rule("errors", "churn", warning: null, direction: AlertDirection.Below, enabled: false), 1, "bob");
        Assert.Equal((2L, (double?)null, AlertDirection.Below, false, false, "bob"), (changed.Version, changed.Warning, changed.Direction, changed.Enabled, changed.HasSecret, changed.UpdatedBy));
        Assert.Empty(changed.Webhooks);
        Assert.Equal(created.CreatedAt, changed.CreatedAt);
        Assert.Null(await Store.FindRuleAsync("missing"));
    }

    [ContractFact]
    public async Task A_stale_or_unexpected_version_is_a_conflict_with_the_stored_rule_and_changes_nothing()
    {
        await Store.PutRuleAsync(Rule("errors", "churn"), 0, null);
        var stale = await Assert.ThrowsAsync<AlertRuleConflictException>(() => Store.PutRuleAsync(Rule("errors", "other"), 7, null));
        Assert.Equal((ErrorCode.ResourceConflict, 1L, "churn", 7L), (stale.Code, stale.Current!.Version, stale.Current.Endpoint, stale.ExpectedVersion));
        var exists = await Assert.ThrowsAsync<AlertRuleConflictException>(() => Store.PutRuleAsync(Rule("errors", "other"), 0, null));
        Assert.Equal(1L, exists.Current!.Version);
        var gone = await Assert.ThrowsAsync<AlertRuleConflictException>(() => Store.PutRuleAsync(Rule("nobody", "other"), 3, null));
        Assert.Null(gone.Current);
        Assert.Equal("churn", (await Store.FindRuleAsync("errors"))!.Endpoint);
        Assert.Null(await Store.FindRuleAsync("nobody"));
    }

    [ContractFact]
    public async Task Rules_list_by_name_of_one_endpoint_or_all()
    {
        foreach (var (name, endpoint) in new[] { ("z-rule", "churn"), ("a-rule", "churn"), ("m-rule", "fraud") })
        {
            await Store.PutRuleAsync(Rule(name, endpoint), null, null);
        }

        Assert.Equal(["a-rule", "m-rule", "z-rule"], (await Store.ListRulesAsync(null)).Select(r => r.Name));
        Assert.Equal(["a-rule", "z-rule"], (await Store.ListRulesAsync("churn")).Select(r => r.Name));
        Assert.Empty(await Store.ListRulesAsync("nothing"));
    }

    [ContractFact]
    public async Task An_alert_moves_through_its_states_with_one_event_per_change_in_sequence()
    {
        await Store.PutRuleAsync(Rule("errors", "churn", webhooks: ["https://a.example/hook"]), null, null);
        var opened = (await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Pending, AlertSeverity.Warning, 0.2, window: 0), null))!;
        Assert.Equal((1L, (AlertState?)null, AlertState.Pending), (opened.Sequence, opened.From, opened.To));
        var alertId = opened.AlertId;

        var fired = (await Store.ApplyTransitionAsync(Change("errors", (alertId, AlertState.Pending, AlertSeverity.Warning), AlertState.Firing, AlertSeverity.Warning, 0.3, window: 1), null))!;
        var worse = (await Store.ApplyTransitionAsync(Change("errors", (alertId, AlertState.Firing, AlertSeverity.Warning), AlertState.Firing, AlertSeverity.Critical, 0.7, window: 2), null))!;
        var firing = (await Store.FindAlertAsync(alertId))!;
        Assert.Equal((AlertState.Firing, AlertSeverity.Critical, (double?)0.7, 0.5, worse.Sequence), (firing.State, firing.Severity, firing.Value, firing.Threshold, firing.LastSequence));
        Assert.NotNull(firing.FiringAt);
        Assert.Null(firing.ResolvedAt);

        var resolved = (await Store.ApplyTransitionAsync(Change("errors", (alertId, AlertState.Firing, AlertSeverity.Critical), AlertState.Resolved, AlertSeverity.Critical, 0.01, window: 3), null))!;
        Assert.Equal([1L, 2L, 3L, 4L], new[] { opened, fired, worse, resolved }.Select(e => e.Sequence));
        var stored = (await Store.FindAlertAsync(alertId))!;
        Assert.Equal((AlertState.Resolved, Start(3), Start(4)), (stored.State, stored.WindowStart, stored.WindowEnd));
        Assert.NotNull(stored.ResolvedAt);
        Assert.Equal(firing.FiringAt, stored.FiringAt);

        var feed = await Store.ListEventsAsync(0, 100, null);
        Assert.Equal(
            ["-:pending", "pending:firing", "firing:firing", "firing:resolved"],
            feed.Select(e => $"{(e.From is { } f ? AlertStateTransitions.Name(f) : "-")}:{AlertStateTransitions.Name(e.To)}"));
        Assert.Equal([(double?)0.2, 0.3, 0.7, 0.01], feed.Select(e => e.Value));
        Assert.Equal(Start(2), feed[2].WindowStart);
        Assert.Equal("because", feed[0].Reason);
        Assert.Equal([3L, 4L], (await Store.ListEventsAsync(2, 100, null)).Select(e => e.Sequence));
        Assert.Equal([1L, 2L], (await Store.ListEventsAsync(0, 2, null)).Select(e => e.Sequence));
        Assert.Equal(4, (await Store.ListEventsAsync(0, 100, alertId)).Count);
    }

    [ContractFact]
    public async Task A_transition_decided_from_a_state_that_is_gone_changes_nothing()
    {
        await Store.PutRuleAsync(Rule("errors", "churn"), null, null);
        var first = (await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Firing, AlertSeverity.Warning, 0.2, window: 0), null))!;
        // The same decision again (the same window evaluated twice): no second alert, no event.
        Assert.Null(await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Firing, AlertSeverity.Warning, 0.2, window: 0), null));
        Assert.Null(await Store.ApplyTransitionAsync(Change("errors", (first.AlertId, AlertState.Pending, AlertSeverity.Warning), AlertState.Firing, AlertSeverity.Warning, 0.2, window: 1), null));
        Assert.Null(await Store.ApplyTransitionAsync(Change("no-such-rule", null, AlertState.Firing, AlertSeverity.Warning, 0.2, window: 0), null));
        Assert.Single(await Store.ListEventsAsync(0, 100, null));
        Assert.Single(await Store.ListAlertsAsync(new AlertQuery(null, null, null, 100)));

        // Once resolved, a new breach opens a new alert.
        await Store.ApplyTransitionAsync(Change("errors", (first.AlertId, AlertState.Firing, AlertSeverity.Warning), AlertState.Resolved, AlertSeverity.Warning, 0.0, window: 1), null);
        var second = (await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Pending, AlertSeverity.Warning, 0.2, window: 2), null))!;
        Assert.NotEqual(first.AlertId, second.AlertId);
    }

    [ContractFact]
    public async Task A_move_the_transition_table_forbids_is_refused()
    {
        await Store.PutRuleAsync(Rule("errors", "churn"), null, null);
        var e = await Assert.ThrowsAsync<KeelException>(() => Store.ApplyTransitionAsync(Change("errors", null, AlertState.Resolved, AlertSeverity.Warning, 0.2, window: 0), null));
        Assert.Equal(ErrorCode.InvalidState, e.Code);
        var open = (await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Firing, AlertSeverity.Warning, 0.2, window: 0), null))!;
        await Assert.ThrowsAsync<KeelException>(() => Store.ApplyTransitionAsync(Change("errors", (open.AlertId, AlertState.Firing, AlertSeverity.Warning), AlertState.Pending, AlertSeverity.Warning, 0.2, window: 1), null));
        Assert.Single(await Store.ListEventsAsync(0, 100, null));
    }

    [ContractFact]
    public async Task Alerts_list_newest_first_filtered_and_acknowledging_records_who_without_changing_state()
    {
        await Store.PutRuleAsync(Rule("errors", "churn"), null, null);
        await Store.PutRuleAsync(Rule("fraud-errors", "fraud"), null, null);
        var a = (await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Firing, AlertSeverity.Warning, 0.2, window: 0), null))!;
        var b = (await Store.ApplyTransitionAsync(Change("fraud-errors", null, AlertState.Pending, AlertSeverity.Critical, 0.9, window: 0), null))!;
        Assert.Equal([b.AlertId, a.AlertId], (await Store.ListAlertsAsync(new AlertQuery(null, null, null, 10))).Select(x => x.Id));
        Assert.Equal([a.AlertId], (await Store.ListAlertsAsync(new AlertQuery("churn", null, null, 10))).Select(x => x.Id));
        Assert.Equal([b.AlertId], (await Store.ListAlertsAsync(new AlertQuery(null, AlertState.Pending, null, 10))).Select(x => x.Id));
        Assert.Equal([a.AlertId], (await Store.ListAlertsAsync(new AlertQuery(null, null, "errors", 10))).Select(x => x.Id));
        Assert.Single(await Store.ListAlertsAsync(new AlertQuery(null, null, null, 1)));

        var acked = await Store.AcknowledgeAsync(a.AlertId, "carol");
        Assert.Equal(("carol", AlertState.Firing), (acked.AcknowledgedBy, acked.State));
        Assert.NotNull(acked.AcknowledgedAt);
        Assert.Equal(2, (await Store.ListEventsAsync(0, 100, null)).Count);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.AcknowledgeAsync(999_999, "carol"))).Code);
        Assert.Null(await Store.FindAlertAsync(999_999));
    }

    [ContractFact]
    public async Task Deleting_a_rule_resolves_its_open_alert_and_a_missing_rule_is_not_found()
    {
        await Store.PutRuleAsync(Rule("errors", "churn", webhooks: ["https://a.example/hook"]), null, null);
        var open = (await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Firing, AlertSeverity.Warning, 0.2, window: 0), null))!;
        await Store.DeleteRuleAsync("errors", "alice");
        Assert.Null(await Store.FindRuleAsync("errors"));
        Assert.Equal(AlertState.Resolved, (await Store.FindAlertAsync(open.AlertId))!.State);
        var last = (await Store.ListEventsAsync(open.Sequence, 10, null)).Single();
        Assert.Equal((AlertState.Resolved, (double?)null), (last.To, last.Value));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => Store.DeleteRuleAsync("errors", null))).Code);
    }

    [ContractFact]
    public async Task Each_change_queues_one_delivery_per_webhook_and_attempts_are_logged_and_settled()
    {
        await Store.PutRuleAsync(Rule("errors", "churn", webhooks: ["https://a.example/hook", "https://b.example/hook"], secret: "rule-secret"), null, null);
        var e = (await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Firing, AlertSeverity.Warning, 0.2, window: 0), null))!;
        var due = await Store.DueDeliveriesAsync(long.MaxValue, 10);
        Assert.Equal(["https://a.example/hook", "https://b.example/hook"], due.Select(d => d.Url));
        Assert.All(due, d => Assert.Equal((e.Sequence, 0, "rule-secret", e.AlertId), (d.Event.Sequence, d.Attempts, d.Secret, d.Event.AlertId)));

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Store.RecordDeliveryAsync(new DeliveryAttempt(due[0].Id, 1, 500, "HTTP 500 Internal Server Error", now, Delivered: false, NextAttemptAt: now + 60_000), null);
        await Store.RecordDeliveryAsync(new DeliveryAttempt(due[1].Id, 1, 204, null, now, Delivered: true, NextAttemptAt: null), null);
        Assert.Empty(await Store.DueDeliveriesAsync(now + 59_000, 10));
        var retry = Assert.Single(await Store.DueDeliveriesAsync(now + 60_000, 10));
        Assert.Equal((due[0].Id, 1), (retry.Id, retry.Attempts));
        await Store.RecordDeliveryAsync(new DeliveryAttempt(retry.Id, 2, null, "connection refused", now + 60_000, Delivered: false, NextAttemptAt: null), null);
        Assert.Empty(await Store.DueDeliveriesAsync(long.MaxValue, 10));
        // Settling a row twice logs nothing more.
        await Store.RecordDeliveryAsync(new DeliveryAttempt(retry.Id, 2, null, "again", now + 61_000, Delivered: false, NextAttemptAt: null), null);

        var log = await Store.ListDeliveriesAsync(e.AlertId);
        Assert.Equal(
            [("https://a.example/hook", 1, (int?)500, "retrying"), ("https://b.example/hook", 1, (int?)204, "delivered"), ("https://a.example/hook", 2, (int?)null, "failed")],
            log.Select(d => (d.Url, d.Attempt, d.StatusCode, d.Outcome)));
        Assert.Equal(("HTTP 500 Internal Server Error", (string?)null, "connection refused"), (log[0].Error, log[1].Error, log[2].Error));
        Assert.Empty(await Store.ListDeliveriesAsync(999_999));
    }

    [ContractFact]
    public async Task A_write_under_a_stale_lease_fence_is_refused_and_changes_nothing()
    {
        await Store.PutRuleAsync(Rule("errors", "churn", webhooks: ["https://a.example/hook"]), null, null);
        var fence = (await Leases.TryAcquireAsync("contract-singleton", "replica-a", TimeSpan.FromMinutes(1)))!;
        var applied = await Store.ApplyTransitionAsync(Change("errors", null, AlertState.Firing, AlertSeverity.Warning, 0.2, window: 0), fence);
        Assert.NotNull(applied);

        await Leases.ReleaseAsync(fence);
        var taken = (await Leases.TryAcquireAsync("contract-singleton", "replica-b", TimeSpan.FromMinutes(1)))!;
        Assert.True(taken.Epoch > fence.Epoch);
        var e = await Assert.ThrowsAsync<KeelException>(() => Store.ApplyTransitionAsync(Change("errors", (applied.AlertId, AlertState.Firing, AlertSeverity.Warning), AlertState.Resolved, AlertSeverity.Warning, 0.0, window: 1), fence));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        var row = Assert.Single(await Store.DueDeliveriesAsync(long.MaxValue, 10));
        await Assert.ThrowsAsync<KeelException>(() => Store.RecordDeliveryAsync(new DeliveryAttempt(row.Id, 1, 200, null, 0, true, null), fence));
        Assert.Single(await Store.ListEventsAsync(0, 10, null));
        Assert.Single(await Store.DueDeliveriesAsync(long.MaxValue, 10));
        Assert.NotNull(await Store.ApplyTransitionAsync(Change("errors", (applied.AlertId, AlertState.Firing, AlertSeverity.Warning), AlertState.Resolved, AlertSeverity.Warning, 0.0, window: 1), taken));
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    protected static NewAlertRule Rule(
        string name, string endpoint, double? warning = 0.1, AlertDirection direction = AlertDirection.Above, bool enabled = true, string[]? webhooks = null, string? secret = null) =>
        new(name, endpoint, "error_rate", "5m", warning, direction == AlertDirection.Below ? 0.05 : 0.5, direction, 10, 2, webhooks ?? [], enabled, secret);

    private static readonly long T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static long Start(int window) => T0 + (window * 300_000L);

    private static AlertTransition Change(string rule, (long Id, AlertState State, AlertSeverity Severity)? from, AlertState to, AlertSeverity severity, double value, int window) =>
        new(rule, from?.Id, from?.State, from?.Severity, to, severity, value, severity == AlertSeverity.Critical ? 0.5 : 0.1, Start(window), Start(window + 1), "because");
}
