namespace Keel.Core.Monitoring;

/// <summary>
/// The figures of an endpoint's monitoring windows, as alerts and dashboards read them. The window
/// statistics are computed elsewhere (the monitoring worker, into the metadata store); this port
/// only reads one metric's value per window.
/// </summary>
public interface IMonitoringMetrics
{
    /// <summary>
    /// The metric's value per window of the given size whose start is in [<paramref name="from"/>,
    /// <paramref name="to"/>), oldest first; windows without data are absent or have a null value.
    /// </summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <param name="metric">The metric.</param>
    /// <param name="window">The window size.</param>
    /// <param name="from">The earliest window start, inclusive.</param>
    /// <param name="to">The latest window start, exclusive.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<MonitoringPoint>> ReadAsync(string endpoint, MonitoringMetric metric, MonitoringWindow window, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
