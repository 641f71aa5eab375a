using Keel.Core.Monitoring;

namespace Keel.Core.Wire;

// Keel's alerting API (/api/2.0/keel/alerts): rules, alerts, the event feed, acknowledgement, evaluation.

/// <summary>An alert rule as written by a user (YAML or JSON): absent fields take their defaults, every field is checked.</summary>
public sealed class AlertRuleRequest
{
    /// <summary>The rule's name (letters, digits, '-', '_', '.'; 1-64, starting with a letter or digit).</summary>
    public string? Name { get; set; }

    /// <summary>The endpoint watched.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The metric, e.g. <c>error_rate</c> or <c>drift_score:age</c>.</summary>
    public string? Metric { get; set; }

    /// <summary>The window size, e.g. <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
    public string? Window { get; set; }

    /// <summary>The warning threshold.</summary>
    public double? Warning { get; set; }

    /// <summary>The critical threshold.</summary>
    public double? Critical { get; set; }

    /// <summary><c>above</c> (default) or <c>below</c>.</summary>
    public string? Direction { get; set; }

    /// <summary>Windows with fewer observations do not count (default 1).</summary>
    public long? MinSamples { get; set; }

    /// <summary>Counted windows in a row that must breach before firing (default 1).</summary>
    public long? For { get; set; }

    /// <summary>http(s) URLs each state change is posted to.</summary>
    public List<string>? Webhooks { get; set; }

    /// <summary>False pauses the rule (default true).</summary>
    public bool? Enabled { get; set; }

    /// <summary>The rule's own webhook signing secret (default: the server's KEEL_WEBHOOK_SECRET). Never shown back.</summary>
    public string? Secret { get; set; }

    /// <summary>For an update: the version it was made from (0: the rule must be new). Absent: write whatever is stored.</summary>
    public long? ExpectedVersion { get; set; }
}

/// <summary>Body of applying rules (POST /alerts/rules): all are checked before any is stored.</summary>
public sealed class ApplyAlertRulesRequest
{
    /// <summary>The rules.</summary>
    public List<AlertRuleRequest>? Rules { get; set; }
}

/// <summary>One rule.</summary>
public sealed class AlertRuleResponse
{
    /// <summary>The rule; absent after a delete.</summary>
    public AlertRule? Rule { get; set; }
}

/// <summary>Several rules.</summary>
public sealed class AlertRulesResponse
{
    /// <summary>The rules, by name.</summary>
    public List<AlertRule>? Rules { get; set; }
}

/// <summary>A refused rule update (409): the error and the rule as stored now.</summary>
public sealed class AlertRuleConflictResponse
{
    /// <summary>RESOURCE_CONFLICT.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>What happened.</summary>
    public string? Message { get; set; }

    /// <summary>The rule's name.</summary>
    public string? RuleName { get; set; }

    /// <summary>The rule as stored now; absent when it is gone.</summary>
    public AlertRule? CurrentRule { get; set; }

    /// <summary>The version the refused change was made from.</summary>
    public long? ExpectedVersion { get; set; }
}

/// <summary>One alert, with its events and webhook delivery log.</summary>
public sealed class AlertResponse
{
    /// <summary>The alert.</summary>
    public Alert? Alert { get; set; }

    /// <summary>Its state changes, oldest first.</summary>
    public List<AlertEvent>? Events { get; set; }

    /// <summary>Every delivery attempt of its events, oldest first.</summary>
    public List<AlertDelivery>? Deliveries { get; set; }
}

/// <summary>Alerts, newest first.</summary>
public sealed class AlertsResponse
{
    /// <summary>The alerts.</summary>
    public List<Alert>? Alerts { get; set; }
}

/// <summary>A page of the event feed.</summary>
public sealed class AlertEventsResponse
{
    /// <summary>Events oldest first.</summary>
    public List<AlertEvent>? Events { get; set; }

    /// <summary>The sequence to ask after next (the last event's, or the one asked after when there were none).</summary>
    public long? NextAfter { get; set; }
}

/// <summary>The delivery log of an alert.</summary>
public sealed class AlertDeliveriesResponse
{
    /// <summary>Attempts oldest first.</summary>
    public List<AlertDelivery>? Deliveries { get; set; }
}

/// <summary>Body of acknowledging an alert (POST /alerts/{id}/ack).</summary>
public sealed class AckAlertRequest
{
    /// <summary>Who acknowledges it (default: the X-Keel-User header, else "anonymous").</summary>
    public string? By { get; set; }
}

/// <summary>What one evaluation pass did.</summary>
public sealed class EvaluateAlertsResponse
{
    /// <summary>Enabled rules looked at.</summary>
    public long? RulesEvaluated { get; set; }

    /// <summary>The state changes recorded, in order.</summary>
    public List<AlertEvent>? Events { get; set; }

    /// <summary>Rules that could not be evaluated, with why (e.g. the monitoring store was unreachable).</summary>
    public List<string>? Errors { get; set; }
}

/// <summary>Body of an evaluation pass (POST /alerts/evaluate): no fields; an empty object or no body.</summary>
public sealed class EvaluateAlertsRequest
{
}
