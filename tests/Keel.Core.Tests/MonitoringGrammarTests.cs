using Keel.Core.Errors;
using Keel.Core.Monitoring;

namespace Keel.Core.Tests;

public sealed class MonitoringGrammarTests
{
    [Theory]
    [InlineData("5m", 5, "5m")]
    [InlineData("15m", 15, "15m")]
    [InlineData("60m", 60, "1h")]
    [InlineData("1h", 60, "1h")]
    [InlineData("6h", 360, "6h")]
    [InlineData("24h", 1440, "1d")]
    [InlineData("1d", 1440, "1d")]
    [InlineData("7d", 10080, "7d")]
    [InlineData("1m", 1, "1m")]
    [InlineData("30s", 0, "30s")]
    [InlineData("120s", 2, "2m")]
    public void Windows_parse_and_print_in_their_largest_whole_unit(string text, int minutes, string printed)
    {
        var window = MonitoringWindow.Parse(text, "window");
        Assert.Equal((minutes, printed), (window.Minutes, window.ToString()));
        Assert.Equal(window.Seconds, (int)window.Duration.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7m")]
    [InlineData("5")]
    [InlineData("0m")]
    [InlineData("-5m")]
    [InlineData("7s")]
    [InlineData("1.5h")]
    [InlineData("36h")]
    [InlineData("400d")]
    [InlineData(" 5m")]
    [InlineData("5M")]
    public void Windows_that_do_not_divide_a_day_or_are_not_whole_days_are_refused_naming_the_field(string text)
    {
        var e = Assert.Throws<KeelException>(() => MonitoringWindow.Parse(text, "rules[0].window"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("'rules[0].window'", e.Message, StringComparison.Ordinal);
        Assert.Contains("5m, 15m, 1h", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_start_lines_up_with_midnight_utc()
    {
        var window = MonitoringWindow.Parse("15m", "w");
        var start = window.StartOf(DateTimeOffset.Parse("2026-03-04T10:44:59.999Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse("2026-03-04T10:30:00Z", System.Globalization.CultureInfo.InvariantCulture), start);
    }

    [Theory]
    [InlineData("traffic", MonitoringMetricKind.Traffic, null)]
    [InlineData("error_rate", MonitoringMetricKind.ErrorRate, null)]
    [InlineData("latency_p99", MonitoringMetricKind.LatencyP99, null)]
    [InlineData("drift_share", MonitoringMetricKind.DriftShare, null)]
    [InlineData("drift_score:age", MonitoringMetricKind.DriftScore, "age")]
    [InlineData("drift_score:mean radius", MonitoringMetricKind.DriftScore, "mean radius")]
    [InlineData("prediction_drift_score", MonitoringMetricKind.PredictionDriftScore, null)]
    [InlineData("log_loss", MonitoringMetricKind.LogLoss, null)]
    [InlineData("r2", MonitoringMetricKind.R2, null)]
    public void Metrics_parse_and_print_back(string text, MonitoringMetricKind kind, string? feature)
    {
        var metric = MonitoringMetric.Parse(text, "metric");
        Assert.Equal((kind, feature, text), (metric.Kind, metric.Feature, metric.ToString()));
        Assert.Equal(kind >= MonitoringMetricKind.Accuracy, metric.IsQuality);
    }

    [Theory]
    [InlineData("latency_p90")]
    [InlineData("Traffic")]
    [InlineData("")]
    [InlineData("drift_score")]
    public void Unknown_metrics_are_refused_listing_the_valid_names(string text)
    {
        var e = Assert.Throws<KeelException>(() => MonitoringMetric.Parse(text, "metric"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("'metric'", e.Message, StringComparison.Ordinal);
        Assert.Contains("error_rate", e.Message, StringComparison.Ordinal);
        Assert.Contains("drift_score:FEATURE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drift_score_without_a_feature_says_what_is_missing()
    {
        var e = Assert.Throws<KeelException>(() => MonitoringMetric.Parse("drift_score:", "metric"));
        Assert.Contains("names a feature", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, AlertState.Pending, false, true)]
    [InlineData(null, AlertState.Firing, false, true)]
    [InlineData(null, AlertState.Resolved, false, false)]
    [InlineData(AlertState.Pending, AlertState.Firing, false, true)]
    [InlineData(AlertState.Pending, AlertState.Resolved, false, true)]
    [InlineData(AlertState.Pending, AlertState.Pending, true, true)]
    [InlineData(AlertState.Pending, AlertState.Pending, false, false)]
    [InlineData(AlertState.Firing, AlertState.Firing, true, true)]
    [InlineData(AlertState.Firing, AlertState.Firing, false, false)]
    [InlineData(AlertState.Firing, AlertState.Pending, false, false)]
    [InlineData(AlertState.Firing, AlertState.Resolved, false, true)]
    [InlineData(AlertState.Resolved, AlertState.Pending, false, false)]
    [InlineData(AlertState.Resolved, AlertState.Firing, false, false)]
    public void The_alert_transition_table(AlertState? from, AlertState to, bool severityChanges, bool allowed)
    {
        Assert.Equal(allowed, AlertStateTransitions.IsAllowed(from, to, severityChanges));
    }
}
