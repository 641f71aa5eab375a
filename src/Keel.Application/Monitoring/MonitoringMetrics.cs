using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Monitoring;

namespace Keel.Application.Monitoring;

/// <summary>
/// Alerts' view of the monitoring windows: one metric's value per window, read from the same
/// merged buckets the monitoring API answers with, so an alert and the dashboard never disagree.
/// </summary>
public sealed class MonitoringMetrics(MonitoringService service) : IMonitoringMetrics
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<MonitoringPoint>> ReadAsync(string endpoint, MonitoringMetric metric, MonitoringWindow window, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        MonitoringReport report;
        try
        {
            report = await service.ReportAsync(
                endpoint, window.ToString(),
                from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), to.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                count: null, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            // A rule on an endpoint deleted since: no windows, so it neither fires nor clears.
            return [];
        }

        return [.. report.Windows.Where(w => w.Start >= from && w.Start < to).Select(w => Point(w, metric))];
    }

    private static MonitoringPoint Point(MonitoringWindowFigures w, MonitoringMetric metric)
    {
        var (value, samples) = metric.Kind switch
        {
            MonitoringMetricKind.Traffic => (w.Traffic, w.Traffic),
            MonitoringMetricKind.ErrorRate => (w.ErrorRate, w.Traffic),
            MonitoringMetricKind.LatencyP50 => (w.LatencyMs?.P50, w.Traffic),
            MonitoringMetricKind.LatencyP95 => (w.LatencyMs?.P95, w.Traffic),
            MonitoringMetricKind.LatencyP99 => (w.LatencyMs?.P99, w.Traffic),
            MonitoringMetricKind.DriftShare => (w.Drift?.ShareOfDriftedColumns, w.Traffic),
            MonitoringMetricKind.DriftScore => (w.Drift?.Columns.FirstOrDefault(c => c.Column == metric.Feature)?.DriftScore, w.Traffic),
            MonitoringMetricKind.PredictionDriftScore => (w.PredictionDrift?.DriftScore, w.Traffic),
            _ => (w.Quality?.Metrics.TryGetValue(metric.ToString(), out var q) == true ? q : (double?)null, w.Quality?.Labeled ?? 0),
        };
        return new MonitoringPoint(w.Start, w.End, value, samples);
    }
}
