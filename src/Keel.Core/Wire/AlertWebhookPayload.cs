namespace Keel.Core.Wire;

/// <summary>
/// The JSON body posted to an alert rule's webhooks for each state change. Its bytes are signed as
/// sent (<c>X-Keel-Signature-256: sha256=HEX</c>); <see cref="EventId"/> (also in the
/// <c>X-Keel-Event-Id</c> header) is the same on every retry, so a receiver can drop duplicates.
/// </summary>
public sealed class AlertWebhookPayload
{
    /// <summary>The event's id, <c>alert-event-SEQ</c>.</summary>
    public string? EventId { get; set; }

    /// <summary>The event's place in the feed (GET /api/2.0/keel/alerts/events?after=).</summary>
    public long Sequence { get; set; }

    /// <summary>The alert's number.</summary>
    public long AlertId { get; set; }

    /// <summary>The rule.</summary>
    public string? Rule { get; set; }

    /// <summary>The endpoint.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The metric.</summary>
    public string? Metric { get; set; }

    /// <summary>The window size.</summary>
    public string? Window { get; set; }

    /// <summary>The window that caused the change: its start, ISO 8601 UTC.</summary>
    public string? WindowStart { get; set; }

    /// <summary>Its end, ISO 8601 UTC.</summary>
    public string? WindowEnd { get; set; }

    /// <summary>The metric's value in that window (absent when the rule was deleted).</summary>
    public double? Value { get; set; }

    /// <summary>The threshold it was judged against.</summary>
    public double Threshold { get; set; }

    /// <summary>warning or critical.</summary>
    public string? Severity { get; set; }

    /// <summary>The new state: pending, firing or resolved.</summary>
    public string? State { get; set; }

    /// <summary>The state before, absent when the event opened the alert.</summary>
    public string? PreviousState { get; set; }

    /// <summary>Why, in words.</summary>
    public string? Reason { get; set; }

    /// <summary>When the change was recorded, ISO 8601 UTC.</summary>
    public string? Timestamp { get; set; }
}
