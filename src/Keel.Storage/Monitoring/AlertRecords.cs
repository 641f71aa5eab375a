using System.Data.Common;
using System.Globalization;
using System.Text;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Storage.Sql;

namespace Keel.Storage.Monitoring;

/// <summary>
/// The alert store's SQL, written once for SQLite and PostgreSQL over ADO.NET (as
/// <see cref="Data.DatasetRecords"/> is): the same statements with positional <c>$1</c> parameters
/// and <c>RETURNING</c>. What differs is passed in: how parameters are named, the row lock
/// (PostgreSQL's <c>FOR UPDATE</c>; SQLite's one writer serialises already), the lock that keeps the
/// event feed's sequence in commit order, and whose clock decides whether a lease is live (the
/// database's on PostgreSQL, so replicas agree).
/// </summary>
internal sealed class AlertRecords : PortableSql
{
    private const string RuleColumns =
        "name, endpoint, metric, window_size, warning, critical, direction, min_samples, for_windows, webhooks, enabled, CASE WHEN secret IS NULL THEN 0 ELSE 1 END, version, created_time, updated_time, updated_by";

    private const string AlertColumns =
        "id, rule, endpoint, metric, window_size, state, severity, value, threshold, window_start, window_end, opened_time, firing_time, resolved_time, updated_time, ack_by, ack_time, last_seq";

    private const string EventColumns =
        "seq, alert_id, rule, endpoint, metric, window_size, from_state, to_state, severity, value, threshold, window_start, window_end, time, reason";

    private readonly string _lock;
    private readonly string _sequenceLock;
    private readonly string? _databaseNow;
    private readonly TimeProvider _time;

    /// <param name="namedParameters">True for SQLite (parameters named <c>$1</c>), false for PostgreSQL (positional).</param>
    /// <param name="rowLock">The clause that locks a selected row for the transaction, or empty.</param>
    /// <param name="sequenceLock">A statement run before a sequence is taken, so sequences commit in order; or empty.</param>
    /// <param name="databaseNow">SQL for the database's clock in Unix milliseconds, or null to use <paramref name="time"/> for leases.</param>
    /// <param name="time">The clock for timestamps.</param>
    public AlertRecords(bool namedParameters, string rowLock, string sequenceLock, string? databaseNow, TimeProvider time)
        : base(namedParameters)
    {
        _lock = rowLock;
        _sequenceLock = sequenceLock;
        _databaseNow = databaseNow;
        _time = time;
    }

    public async Task<AlertRule> PutRuleAsync(DbConnection connection, DbTransaction transaction, NewAlertRule rule, long? expectedVersion, string? actor, CancellationToken cancellationToken)
    {
        var current = await FindRuleAsync(connection, transaction, rule.Name, cancellationToken, locked: true).ConfigureAwait(false);
        if (expectedVersion is { } expected && (expected == 0 ? current is not null : current?.Version != expected))
        {
            throw new AlertRuleConflictException(rule.Name, current, expected);
        }

        var now = Now();
        var webhooks = string.Join('\n', rule.Webhooks);
        if (current is null)
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "INSERT INTO alert_rules (name, endpoint, metric, window_size, warning, critical, direction, min_samples, for_windows, webhooks, enabled, secret, version, created_time, updated_time, updated_by) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13, $14)",
                rule.Name, rule.Endpoint, rule.Metric, rule.Window, rule.Warning, rule.Critical, DirectionName(rule.Direction), rule.MinSamples, (long)rule.For,
                webhooks, rule.Enabled ? 1L : 0L, rule.Secret, now, actor).ConfigureAwait(false);
        }
        else
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "UPDATE alert_rules SET endpoint = $2, metric = $3, window_size = $4, warning = $5, critical = $6, direction = $7, min_samples = $8, for_windows = $9, "
                + "webhooks = $10, enabled = $11, secret = $12, version = version + 1, updated_time = $13, updated_by = $14 WHERE name = $1",
                rule.Name, rule.Endpoint, rule.Metric, rule.Window, rule.Warning, rule.Critical, DirectionName(rule.Direction), rule.MinSamples, (long)rule.For,
                webhooks, rule.Enabled ? 1L : 0L, rule.Secret, now, actor).ConfigureAwait(false);
        }

        return (await FindRuleAsync(connection, transaction, rule.Name, cancellationToken, locked: false).ConfigureAwait(false))!;
    }

    public async Task<AlertRule?> FindRuleAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken, bool locked = false)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, ReadRule, "SELECT " + RuleColumns + " FROM alert_rules WHERE name = $1" + (locked ? _lock : string.Empty), name).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<AlertRule>> ListRulesAsync(DbConnection connection, string? endpoint, CancellationToken cancellationToken) =>
        endpoint is null
            ? await ListAsync(connection, null, cancellationToken, ReadRule, "SELECT " + RuleColumns + " FROM alert_rules ORDER BY name").ConfigureAwait(false)
            : await ListAsync(connection, null, cancellationToken, ReadRule, "SELECT " + RuleColumns + " FROM alert_rules WHERE endpoint = $1 ORDER BY name", endpoint).ConfigureAwait(false);

    public async Task DeleteRuleAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        var rule = await FindRuleAsync(connection, transaction, name, cancellationToken, locked: true).ConfigureAwait(false)
            ?? throw KeelException.NotFound($"Alert rule '{name}' does not exist.");
        if (await FindOpenAlertAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false) is { } open)
        {
            var transition = new AlertTransition(name, open.Id, open.State, open.Severity, AlertState.Resolved, open.Severity, null, open.Threshold, open.WindowStart, open.WindowEnd, "the rule was deleted");
            await RecordAsync(connection, transaction, rule, open, transition, webhooks: [], cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM alert_rules WHERE name = $1", name).ConfigureAwait(false);
    }

    public async Task<AlertEvent?> ApplyTransitionAsync(DbConnection connection, DbTransaction transaction, AlertTransition t, LeaseFence? fence, CancellationToken cancellationToken)
    {
        await CheckFenceAsync(connection, transaction, fence, cancellationToken).ConfigureAwait(false);
        var rule = await FindRuleAsync(connection, transaction, t.Rule, cancellationToken, locked: true).ConfigureAwait(false);
        if (rule is null)
        {
            return null;
        }

        var open = await FindOpenAlertAsync(connection, transaction, t.Rule, cancellationToken).ConfigureAwait(false);
        if ((open?.Id, open?.State, open?.Severity) != (t.ExpectedAlertId, t.ExpectedState, t.ExpectedSeverity))
        {
            // Decided from a state that is gone (the same window evaluated twice, or a race): nothing to do.
            return null;
        }

        return await RecordAsync(connection, transaction, rule, open, t, rule.Webhooks, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Alert?> FindAlertAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, ReadAlert, "SELECT " + AlertColumns + " FROM alerts WHERE id = $1", id).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(DbConnection connection, AlertQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT " + AlertColumns + " FROM alerts WHERE 1 = 1");
        var values = new List<object?>();
        void Filter(string column, string? value)
        {
            if (value is not null)
            {
                values.Add(value);
                sql.Append(CultureInfo.InvariantCulture, $" AND {column} = ${values.Count}");
            }
        }

        Filter("endpoint", query.Endpoint);
        Filter("state", query.State is { } s ? AlertStateTransitions.Name(s) : null);
        Filter("rule", query.Rule);
        values.Add((long)query.MaxResults);
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY id DESC LIMIT ${values.Count}");
        return await ListAsync(connection, null, cancellationToken, ReadAlert, sql.ToString(), [.. values]).ConfigureAwait(false);
    }

    public async Task<Alert> AcknowledgeAsync(DbConnection connection, DbTransaction transaction, long id, string actor, CancellationToken cancellationToken)
    {
        var changed = await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE alerts SET ack_by = $2, ack_time = $3 WHERE id = $1", id, actor, Now()).ConfigureAwait(false);
        return changed == 0
            ? throw KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Alert {id} does not exist."))
            : (await FindAlertAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<AlertEvent>> ListEventsAsync(DbConnection connection, long after, int maxResults, long? alertId, CancellationToken cancellationToken) =>
        alertId is { } id
            ? await ListAsync(connection, null, cancellationToken, r => ReadEvent(r, 0), "SELECT " + EventColumns + " FROM alert_events WHERE seq > $1 AND alert_id = $2 ORDER BY seq LIMIT $3", after, id, (long)maxResults).ConfigureAwait(false)
            : await ListAsync(connection, null, cancellationToken, r => ReadEvent(r, 0), "SELECT " + EventColumns + " FROM alert_events WHERE seq > $1 ORDER BY seq LIMIT $2", after, (long)maxResults).ConfigureAwait(false);

    public async Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(DbConnection connection, long alertId, CancellationToken cancellationToken) =>
        await ListAsync(
            connection, null, cancellationToken,
            r => new AlertDelivery(r.GetInt64(0), r.GetString(1), (int)Long(r, 2), r.IsDBNull(3) ? null : (int)Long(r, 3), Text(r, 4), r.GetInt64(5), r.GetString(6)),
            "SELECT seq, url, attempt, status_code, error, time, outcome FROM alert_deliveries WHERE alert_id = $1 ORDER BY id", alertId).ConfigureAwait(false);

    public async Task<IReadOnlyList<PendingDelivery>> DueDeliveriesAsync(DbConnection connection, long now, int maxResults, CancellationToken cancellationToken) =>
        await ListAsync(
            connection, null, cancellationToken,
            r => new PendingDelivery(r.GetInt64(0), ReadEvent(r, 4), r.GetString(1), (int)Long(r, 2), Text(r, 3)),
            "SELECT o.id, o.url, o.attempts, r.secret, " + string.Join(", ", EventColumns.Split(", ").Select(c => "e." + c))
            + " FROM alert_outbox o JOIN alert_events e ON e.seq = o.seq LEFT JOIN alert_rules r ON r.name = o.rule"
            + " WHERE o.next_attempt_at <= $1 ORDER BY o.seq, o.id LIMIT $2",
            now, (long)maxResults).ConfigureAwait(false);

    public async Task RecordDeliveryAsync(DbConnection connection, DbTransaction transaction, DeliveryAttempt a, LeaseFence? fence, CancellationToken cancellationToken)
    {
        await CheckFenceAsync(connection, transaction, fence, cancellationToken).ConfigureAwait(false);
        var rows = await ListAsync(
            connection, transaction, cancellationToken, r => (Seq: r.GetInt64(0), Url: r.GetString(1), AlertId: r.GetInt64(2)),
            "SELECT o.seq, o.url, e.alert_id FROM alert_outbox o JOIN alert_events e ON e.seq = o.seq WHERE o.id = $1" + _lock.Replace(" FOR UPDATE", " FOR UPDATE OF o", StringComparison.Ordinal),
            a.DeliveryId).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            // Settled already (by a leader before us): nothing to log twice.
            return;
        }

        var row = rows[0];
        var outcome = a.Delivered ? "delivered" : a.NextAttemptAt is null ? "failed" : "retrying";
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO alert_deliveries (seq, alert_id, url, attempt, status_code, error, time, outcome) VALUES ($1, $2, $3, $4, $5, CAST($6 AS TEXT), $7, $8)",
            row.Seq, row.AlertId, row.Url, (long)a.Attempt, a.StatusCode is { } code ? (long?)code : null, a.Error, a.Time, outcome).ConfigureAwait(false);
        if (a.NextAttemptAt is { } next && !a.Delivered)
        {
            await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE alert_outbox SET attempts = $2, next_attempt_at = $3 WHERE id = $1", a.DeliveryId, (long)a.Attempt, next).ConfigureAwait(false);
        }
        else
        {
            await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM alert_outbox WHERE id = $1", a.DeliveryId).ConfigureAwait(false);
        }
    }

    private static string DirectionName(AlertDirection direction) => direction == AlertDirection.Below ? "below" : "above";

    private static long Long(DbDataReader r, int ordinal) => Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static long? NullableLong(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Long(r, ordinal);

    private static double? NullableDouble(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetDouble(ordinal);

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static AlertRule ReadRule(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), NullableDouble(r, 4), NullableDouble(r, 5),
        r.GetString(6) == "below" ? AlertDirection.Below : AlertDirection.Above, Long(r, 7), (int)Long(r, 8),
        r.GetString(9).Split('\n', StringSplitOptions.RemoveEmptyEntries), Long(r, 10) != 0, Long(r, 11) != 0, Long(r, 12), Long(r, 13), Long(r, 14), Text(r, 15));

    private static Alert ReadAlert(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), State(r.GetString(5)), Severity(r.GetString(6)),
        NullableDouble(r, 7), r.GetDouble(8), Long(r, 9), Long(r, 10), Long(r, 11), NullableLong(r, 12), NullableLong(r, 13), Long(r, 14),
        Text(r, 15), NullableLong(r, 16), Long(r, 17));

    private static AlertEvent ReadEvent(DbDataReader r, int o) => new(
        r.GetInt64(o), Long(r, o + 1), r.GetString(o + 2), r.GetString(o + 3), r.GetString(o + 4), r.GetString(o + 5),
        r.IsDBNull(o + 6) ? null : State(r.GetString(o + 6)), State(r.GetString(o + 7)), Severity(r.GetString(o + 8)),
        NullableDouble(r, o + 9), r.GetDouble(o + 10), Long(r, o + 11), Long(r, o + 12), Long(r, o + 13), Text(r, o + 14));

    private static AlertState State(string name) =>
        AlertStateTransitions.Parse(name) ?? throw new KeelException(ErrorCode.InternalError, $"Stored alert state '{name}' is unknown.");

    private static AlertSeverity Severity(string name) =>
        AlertStateTransitions.ParseSeverity(name) ?? throw new KeelException(ErrorCode.InternalError, $"Stored alert severity '{name}' is unknown.");

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<Alert?> FindOpenAlertAsync(DbConnection connection, DbTransaction transaction, string rule, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, ReadAlert, "SELECT " + AlertColumns + " FROM alerts WHERE open_rule = $1" + _lock, rule).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    // Opens or moves the alert, appends its event and queues its deliveries, in the caller's transaction.
    private async Task<AlertEvent> RecordAsync(
        DbConnection connection, DbTransaction transaction, AlertRule rule, Alert? open, AlertTransition t, IReadOnlyList<string> webhooks, CancellationToken cancellationToken)
    {
        if (!AlertStateTransitions.IsAllowed(open?.State, t.To, open is not null && open.Severity != t.Severity))
        {
            var from = open is null ? "no alert" : AlertStateTransitions.Name(open.State) + " " + AlertStateTransitions.Name(open.Severity);
            throw new KeelException(ErrorCode.InvalidState, $"Alert of rule '{rule.Name}' cannot move from {from} to {AlertStateTransitions.Name(t.To)} {AlertStateTransitions.Name(t.Severity)}.");
        }

        var now = Now();
        if (_sequenceLock.Length > 0)
        {
            await ExecuteAsync(connection, transaction, cancellationToken, _sequenceLock).ConfigureAwait(false);
        }

        var seq = Convert.ToInt64(await ScalarAsync(connection, transaction, cancellationToken, "SELECT COALESCE(MAX(seq), 0) + 1 FROM alert_events").ConfigureAwait(false), CultureInfo.InvariantCulture);
        var state = AlertStateTransitions.Name(t.To);
        var severity = AlertStateTransitions.Name(t.Severity);
        long alertId;
        if (open is null)
        {
            alertId = Convert.ToInt64(await ScalarAsync(
                connection, transaction, cancellationToken,
                "INSERT INTO alerts (rule, open_rule, endpoint, metric, window_size, state, severity, value, threshold, window_start, window_end, opened_time, firing_time, resolved_time, updated_time, last_seq) "
                + "VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $11, $13) RETURNING id",
                rule.Name, rule.Endpoint, rule.Metric, rule.Window, state, severity, t.Value, t.Threshold, t.WindowStart, t.WindowEnd, now,
                t.To == AlertState.Firing ? now : null, seq).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        else
        {
            alertId = open.Id;
            var resolved = t.To == AlertState.Resolved;
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "UPDATE alerts SET state = $2, severity = $3, value = $4, threshold = $5, window_start = $6, window_end = $7, firing_time = $8, resolved_time = $9, "
                + "updated_time = $10, last_seq = $11, open_rule = CASE WHEN $12 = 1 THEN NULL ELSE open_rule END WHERE id = $1",
                open.Id, state, severity, t.Value, t.Threshold, t.WindowStart, t.WindowEnd,
                open.FiringAt ?? (t.To == AlertState.Firing ? now : null), resolved ? now : null, now, seq, resolved ? 1L : 0L).ConfigureAwait(false);
        }

        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO alert_events (seq, alert_id, rule, endpoint, metric, window_size, from_state, to_state, severity, value, threshold, window_start, window_end, time, reason) "
            + "VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TEXT), $8, $9, $10, $11, $12, $13, $14, CAST($15 AS TEXT))",
            seq, alertId, rule.Name, rule.Endpoint, rule.Metric, rule.Window, open is null ? null : AlertStateTransitions.Name(open.State), state, severity,
            t.Value, t.Threshold, t.WindowStart, t.WindowEnd, now, t.Reason).ConfigureAwait(false);
        foreach (var url in webhooks)
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "INSERT INTO alert_outbox (seq, rule, url, attempts, next_attempt_at) VALUES ($1, $2, $3, 0, $4)", seq, rule.Name, url, now).ConfigureAwait(false);
        }

        return new AlertEvent(
            seq, alertId, rule.Name, rule.Endpoint, rule.Metric, rule.Window, open?.State, t.To, t.Severity, t.Value, t.Threshold, t.WindowStart, t.WindowEnd, now, t.Reason);
    }

    private Task CheckFenceAsync(DbConnection connection, DbTransaction transaction, LeaseFence? fence, CancellationToken cancellationToken) =>
        CheckFenceAsync(connection, transaction, fence, _databaseNow, Now(), "alert change", cancellationToken);
}
