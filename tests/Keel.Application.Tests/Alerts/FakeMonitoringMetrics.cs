using Keel.Core.Monitoring;

namespace Keel.Application.Tests.Alerts;

/// <summary>Window figures set by the test, per endpoint and metric, served as the monitoring store would.</summary>
internal sealed class FakeMonitoringMetrics : IMonitoringMetrics
{
    private readonly Dictionary<(string, string), List<MonitoringPoint>> _points = [];

    public void Add(string endpoint, string metric, MonitoringPoint point)
    {
        if (!_points.TryGetValue((endpoint, metric), out var list))
        {
            _points[(endpoint, metric)] = list = [];
        }

        list.Add(point);
    }

    public Task<IReadOnlyList<MonitoringPoint>> ReadAsync(string endpoint, MonitoringMetric metric, MonitoringWindow window, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MonitoringPoint>>(
            _points.TryGetValue((endpoint, metric.ToString()), out var list)
                ? [.. list.Where(p => p.WindowStart >= from && p.WindowStart < to && p.WindowEnd - p.WindowStart == window.Duration).OrderBy(p => p.WindowStart)]
                : []);
}
