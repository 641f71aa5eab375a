using Keel.Core.Monitoring;

namespace Keel.Hosting.Alerts;

/// <summary>
/// The monitoring source of a host that computes no windows: every read is empty, so rules are
/// evaluated and never breach. The monitoring window store replaces it where it is composed.
/// </summary>
public sealed class NoMonitoringWindows : IMonitoringMetrics
{
    private NoMonitoringWindows()
    {
    }

    /// <summary>The one instance.</summary>
    public static NoMonitoringWindows Instance { get; } = new();

    /// <inheritdoc/>
    public Task<IReadOnlyList<MonitoringPoint>> ReadAsync(string endpoint, MonitoringMetric metric, MonitoringWindow window, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MonitoringPoint>>([]);
}
