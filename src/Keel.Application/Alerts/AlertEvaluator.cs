using System.Globalization;
using Keel.Core.Monitoring;

namespace Keel.Application.Alerts;

/// <summary>
/// The pure part of alerting: given a rule, its open alert and the metric's recent windows, the
/// state change to make, if any. Only complete windows count (ended by <c>now</c>) with a finite
/// value and at least the rule's <c>min_samples</c>; a window without data, or with too few
/// samples, neither breaches nor clears, and does not break a run of breaching windows. The
/// newest counted window decides: a breach opens or keeps an alert (firing once the last
/// <c>for</c> counted windows all breach, pending before), and a clear resolves it. Deciding from
/// the same windows twice gives no change the second time.
/// </summary>
public static class AlertEvaluator
{
    /// <summary>How many windows back the evaluator reads: enough for a run of <c>for</c> with some windows missing.</summary>
    /// <param name="rule">The rule.</param>
    public static int Lookback(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return (rule.For * 2) + 4;
    }

    /// <summary>The change to make, or null.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="open">The rule's open (pending or firing) alert, or null.</param>
    /// <param name="points">The metric's recent windows, any order.</param>
    /// <param name="now">Windows that end after this are not complete and do not count.</param>
    public static AlertTransition? Decide(AlertRule rule, Alert? open, IReadOnlyList<MonitoringPoint> points, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(points);
        var counted = points
            .Where(p => p.WindowEnd <= now && p.Value is { } v && double.IsFinite(v) && p.SampleSize >= rule.MinSamples)
            .GroupBy(p => p.WindowStart)
            .Select(g => g.Last())
            .OrderBy(p => p.WindowStart)
            .ToList();
        if (counted.Count == 0)
        {
            return null;
        }

        var latest = counted[^1];
        var start = latest.WindowStart.ToUnixTimeMilliseconds();
        if (open is not null && start < open.WindowStart)
        {
            // Older than what the alert already stands on: late figures do not rewrite it.
            return null;
        }

        var value = latest.Value!.Value;
        var level = Level(rule, value);
        if (level is not { } severity)
        {
            return open is null
                ? null
                : Change(rule, open, AlertState.Resolved, open.Severity, latest, open.Threshold, $"{Name(rule)} is {Format(value)}, no longer {Side(rule)} the {AlertStateTransitions.Name(open.Severity)} threshold {Format(open.Threshold)}");
        }

        var streak = 0;
        for (var i = counted.Count - 1; i >= 0 && Level(rule, counted[i].Value!.Value) is not null; i--)
        {
            streak++;
        }

        var to = open?.State == AlertState.Firing || streak >= rule.For ? AlertState.Firing : AlertState.Pending;
        if (open is not null && open.State == to && open.Severity == severity)
        {
            return null;
        }

        var threshold = severity == AlertSeverity.Critical ? rule.Critical!.Value : rule.Warning!.Value;
        var windows = streak == 1 ? "1 window" : string.Create(CultureInfo.InvariantCulture, $"{streak} windows in a row");
        var reason = $"{Name(rule)} is {Format(value)}, {Side(rule)} the {AlertStateTransitions.Name(severity)} threshold {Format(threshold)} ({windows}; fires after {rule.For})";
        return Change(rule, open, to, severity, latest, threshold, reason);
    }

    /// <summary>The severity a value breaches at, or null when it breaches neither threshold.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="value">The metric's value.</param>
    public static AlertSeverity? Level(AlertRule rule, double value)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Critical is { } critical && Breaches(rule.Direction, value, critical) ? AlertSeverity.Critical
            : rule.Warning is { } warning && Breaches(rule.Direction, value, warning) ? AlertSeverity.Warning
            : null;
    }

    private static bool Breaches(AlertDirection direction, double value, double threshold) =>
        direction == AlertDirection.Above ? value >= threshold : value <= threshold;

    private static AlertTransition Change(AlertRule rule, Alert? open, AlertState to, AlertSeverity severity, MonitoringPoint window, double threshold, string reason) =>
        new(rule.Name, open?.Id, open?.State, open?.Severity, to, severity, window.Value, threshold,
            window.WindowStart.ToUnixTimeMilliseconds(), window.WindowEnd.ToUnixTimeMilliseconds(), reason);

    private static string Name(AlertRule rule) => $"{rule.Metric} over {rule.Window}";

    private static string Side(AlertRule rule) => rule.Direction == AlertDirection.Above ? "at or above" : "at or below";

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
