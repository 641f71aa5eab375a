namespace Keel.Core.Monitoring;

/// <summary>One state change of an alert, as the append-only feed keeps it.</summary>
/// <param name="Sequence">Its place in the feed: rises by one per event, across all alerts.</param>
/// <param name="AlertId">The alert.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Window">The window size.</param>
/// <param name="From">The state before, or null when the event opened the alert.</param>
/// <param name="To">The state after.</param>
/// <param name="Severity">The severity after.</param>
/// <param name="Value">The value that caused it, or null (a deleted rule).</param>
/// <param name="Threshold">The threshold it was judged against.</param>
/// <param name="WindowStart">The window's start, Unix milliseconds.</param>
/// <param name="WindowEnd">The window's end, Unix milliseconds.</param>
/// <param name="Time">When it was recorded, Unix milliseconds.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record AlertEvent(
    long Sequence,
    long AlertId,
    string Rule,
    string Endpoint,
    string Metric,
    string Window,
    AlertState? From,
    AlertState To,
    AlertSeverity Severity,
    double? Value,
    double Threshold,
    long WindowStart,
    long WindowEnd,
    long Time,
    string? Reason);
