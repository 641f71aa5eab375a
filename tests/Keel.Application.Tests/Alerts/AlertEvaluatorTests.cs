using Keel.Application.Alerts;
using Keel.Core.Monitoring;

namespace Keel.Application.Tests.Alerts;

public sealed class AlertEvaluatorTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_first_breach_with_for_1_fires_at_once_with_the_window_and_value()
    {
        var t = Decide(Rule(), null, Points(0.01, 0.2));
        Assert.NotNull(t);
        Assert.Equal((AlertState.Firing, AlertSeverity.Warning, 0.2, 0.1), (t.To, t.Severity, t.Value, t.Threshold));
        Assert.Equal((Start(1), Start(2)), (t.WindowStart, t.WindowEnd));
        Assert.Null(t.ExpectedAlertId);
    }

    [Fact]
    public void Below_the_thresholds_nothing_opens()
    {
        Assert.Null(Decide(Rule(), null, Points(0.01, 0.05)));
    }

    [Fact]
    public void A_value_at_the_threshold_breaches_it()
    {
        Assert.Equal(AlertSeverity.Critical, Decide(Rule(), null, Points(0.5))!.Severity);
    }

    [Fact]
    public void With_for_3_it_is_pending_until_three_windows_in_a_row_breach()
    {
        var rule = Rule(forWindows: 3);
        Assert.Equal(AlertState.Pending, Decide(rule, null, Points(0.2))!.To);
        var pending = Open(AlertState.Pending, AlertSeverity.Warning, window: 0);
        Assert.Null(Decide(rule, pending, Points(0.2, 0.2)));
        Assert.Equal(AlertState.Firing, Decide(rule, pending with { WindowStart = Start(1) }, Points(0.2, 0.2, 0.2))!.To);
        // A clear window in the run resets it: two breaches after it are not three.
        Assert.Null(Decide(rule, pending with { WindowStart = Start(3) }, Points(0.2, 0.2, 0.01, 0.2, 0.2)));
    }

    [Fact]
    public void Pending_resolves_when_the_breach_clears_before_for_windows()
    {
        var rule = Rule(forWindows: 3);
        var t = Decide(rule, Open(AlertState.Pending, AlertSeverity.Warning, window: 0), Points(0.2, 0.01));
        Assert.Equal((AlertState.Resolved, AlertState.Pending, 7L), (t!.To, t.ExpectedState, t.ExpectedAlertId!.Value));
        Assert.Equal(0.01, t.Value);
    }

    [Fact]
    public void Firing_resolves_when_the_breach_clears()
    {
        var t = Decide(Rule(), Open(AlertState.Firing, AlertSeverity.Critical, window: 0), Points(0.7, 0.02));
        Assert.Equal((AlertState.Resolved, AlertSeverity.Critical), (t!.To, t.Severity));
        Assert.Contains("no longer", t.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Firing_changes_severity_both_ways()
    {
        var rule = Rule();
        var up = Decide(rule, Open(AlertState.Firing, AlertSeverity.Warning, window: 0), Points(0.2, 0.6));
        Assert.Equal((AlertState.Firing, AlertSeverity.Critical, 0.5), (up!.To, up.Severity, up.Threshold));
        var down = Decide(rule, Open(AlertState.Firing, AlertSeverity.Critical, window: 0), Points(0.6, 0.3));
        Assert.Equal((AlertState.Firing, AlertSeverity.Warning, 0.1), (down!.To, down.Severity, down.Threshold));
    }

    [Fact]
    public void Firing_never_goes_back_to_pending()
    {
        // The evaluator was away while a clear window passed: the alert was never seen to clear, so it keeps firing.
        Assert.Null(Decide(Rule(forWindows: 3), Open(AlertState.Firing, AlertSeverity.Warning, window: 0), Points(0.2, 0.01, 0.2)));
    }

    [Fact]
    public void The_same_windows_again_change_nothing()
    {
        var rule = Rule();
        var first = Decide(rule, null, Points(0.2))!;
        var open = Open(first.To, first.Severity, window: 0);
        Assert.Null(Decide(rule, open, Points(0.2)));
    }

    [Fact]
    public void Windows_with_fewer_samples_than_min_samples_neither_breach_nor_clear()
    {
        var rule = Rule(minSamples: 50);
        var points = new[] { Point(0, 0.2, samples: 100), Point(1, 0.9, samples: 10) };
        var t = Decide(rule, null, points);
        Assert.Equal((AlertSeverity.Warning, Start(0)), (t!.Severity, t.WindowStart));
        // A firing alert is not cleared by a thin window either.
        Assert.Null(Decide(rule, Open(AlertState.Firing, AlertSeverity.Warning, window: 0), [Point(0, 0.2, 100), Point(1, 0.0, 3)]));
    }

    [Fact]
    public void Missing_windows_do_not_break_a_run()
    {
        var rule = Rule(forWindows: 3);
        var points = new[] { Point(0, 0.2), Point(1, null), Point(3, 0.2), Point(4, 0.2) };
        Assert.Equal(AlertState.Firing, Decide(rule, null, points, now: End(4))!.To);
        Assert.Null(Decide(rule, null, [Point(0, null), Point(1, double.NaN)]));
    }

    [Fact]
    public void An_incomplete_window_does_not_count()
    {
        Assert.Null(Decide(Rule(), null, [Point(0, 0.01), Point(1, 0.9)], now: End(0)));
    }

    [Fact]
    public void Direction_below_breaches_at_or_under_the_thresholds()
    {
        var rule = Rule(direction: AlertDirection.Below, warning: 0.9, critical: 0.8);
        Assert.Equal(AlertSeverity.Warning, Decide(rule, null, Points(0.85))!.Severity);
        Assert.Equal(AlertSeverity.Critical, Decide(rule, null, Points(0.8))!.Severity);
        Assert.Null(Decide(rule, null, Points(0.95)));
        Assert.Equal(AlertState.Resolved, Decide(rule, Open(AlertState.Firing, AlertSeverity.Critical, window: 0), Points(0.7, 0.91))!.To);
    }

    [Fact]
    public void A_rule_with_only_a_critical_threshold_never_warns()
    {
        var rule = Rule(warning: null, critical: 0.5);
        Assert.Null(Decide(rule, null, Points(0.4)));
        Assert.Equal(AlertSeverity.Critical, Decide(rule, null, Points(0.6))!.Severity);
    }

    [Fact]
    public void Late_figures_older_than_the_alert_do_not_rewrite_it()
    {
        Assert.Null(Decide(Rule(), Open(AlertState.Firing, AlertSeverity.Warning, window: 5), Points(0.01), now: End(5)));
    }

    private static AlertTransition? Decide(AlertRule rule, Alert? open, IReadOnlyList<MonitoringPoint> points, DateTimeOffset? now = null) =>
        AlertEvaluator.Decide(rule, open, points, now ?? End(points.Count - 1));

    private static AlertRule Rule(int forWindows = 1, long minSamples = 1, AlertDirection direction = AlertDirection.Above, double? warning = 0.1, double? critical = 0.5) =>
        new("errors", "churn", "error_rate", "5m", warning, critical, direction, minSamples, forWindows, [], true, false, 1, 0, 0, null);

    private static Alert Open(AlertState state, AlertSeverity severity, int window) =>
        new(7, "errors", "churn", "error_rate", "5m", state, severity, 0.2, severity == AlertSeverity.Critical ? 0.5 : 0.1, Start(window), Start(window + 1), 0, null, null, 0, null, null, 1);

    private static MonitoringPoint[] Points(params double[] values) => [.. values.Select((v, i) => Point(i, v))];

    private static MonitoringPoint Point(int window, double? value, long samples = 100) =>
        new(T0.AddMinutes(5 * window), T0.AddMinutes(5 * (window + 1)), value, samples);

    private static long Start(int window) => T0.AddMinutes(5 * window).ToUnixTimeMilliseconds();

    private static DateTimeOffset End(int window) => T0.AddMinutes(5 * (window + 1));
}
