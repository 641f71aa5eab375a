namespace Keel.Core.Monitoring;

/// <summary>
/// A state change the evaluator decided, with the open alert it decided it from: the store applies
/// it only while that alert is still the rule's open one, in that state and severity, so evaluating
/// the same window twice (or two evaluators racing) records it once.
/// </summary>
/// <param name="Rule">The rule.</param>
/// <param name="ExpectedAlertId">The open alert it was decided from, or null when there was none.</param>
/// <param name="ExpectedState">That alert's state, or null.</param>
/// <param name="ExpectedSeverity">That alert's severity, or null.</param>
/// <param name="To">The new state.</param>
/// <param name="Severity">The new severity.</param>
/// <param name="Value">The value that caused it.</param>
/// <param name="Threshold">The threshold it was judged against.</param>
/// <param name="WindowStart">The window's start, Unix milliseconds.</param>
/// <param name="WindowEnd">The window's end, Unix milliseconds.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record AlertTransition(
    string Rule,
    long? ExpectedAlertId,
    AlertState? ExpectedState,
    AlertSeverity? ExpectedSeverity,
    AlertState To,
    AlertSeverity Severity,
    double? Value,
    double Threshold,
    long WindowStart,
    long WindowEnd,
    string Reason);
