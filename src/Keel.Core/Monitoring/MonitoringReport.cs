namespace Keel.Core.Monitoring;

/// <summary>An endpoint's monitoring figures over a range, one entry per window (<c>GET /api/2.0/keel/endpoints/{name}/monitoring</c>).</summary>
/// <param name="Endpoint">The endpoint's name.</param>
/// <param name="Window">The window: a duration such as <c>1h</c>, or <c>N requests</c> for windows by count.</param>
/// <param name="From">Start of the range.</param>
/// <param name="To">End of the range.</param>
/// <param name="BucketSeconds">The bucket length windows are merged from.</param>
/// <param name="Windows">The windows, oldest first; windows without traffic are left out.</param>
/// <param name="Labels">Counts of the endpoint's delayed labels.</param>
public sealed record MonitoringReport(
    string Endpoint,
    string Window,
    DateTimeOffset From,
    DateTimeOffset To,
    int BucketSeconds,
    IReadOnlyList<MonitoringWindowFigures> Windows,
    LabelSummary Labels);
