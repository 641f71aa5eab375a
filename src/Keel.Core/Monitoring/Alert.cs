namespace Keel.Core.Monitoring;

/// <summary>
/// One alert: a breach of a rule from when it opened until it resolved. A rule has at most one open
/// (pending or firing) alert; its fields describe the latest state change.
/// </summary>
/// <param name="Id">The alert's number.</param>
/// <param name="Rule">The rule that raised it.</param>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Window">The window size.</param>
/// <param name="State">Pending, firing or resolved.</param>
/// <param name="Severity">Warning or critical.</param>
/// <param name="Value">The metric's value in the window that caused the latest change.</param>
/// <param name="Threshold">The threshold that value was judged against.</param>
/// <param name="WindowStart">That window's start, Unix milliseconds.</param>
/// <param name="WindowEnd">That window's end, Unix milliseconds.</param>
/// <param name="OpenedAt">When the alert opened.</param>
/// <param name="FiringAt">When it started firing, or null.</param>
/// <param name="ResolvedAt">When it resolved, or null.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="AcknowledgedBy">Who acknowledged it, or null.</param>
/// <param name="AcknowledgedAt">When, or null.</param>
/// <param name="LastSequence">The sequence number of its latest event.</param>
public sealed record Alert(
    long Id,
    string Rule,
    string Endpoint,
    string Metric,
    string Window,
    AlertState State,
    AlertSeverity Severity,
    double? Value,
    double Threshold,
    long WindowStart,
    long WindowEnd,
    long OpenedAt,
    long? FiringAt,
    long? ResolvedAt,
    long UpdatedAt,
    string? AcknowledgedBy,
    long? AcknowledgedAt,
    long LastSequence);
