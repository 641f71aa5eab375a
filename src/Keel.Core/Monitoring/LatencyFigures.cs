namespace Keel.Core.Monitoring;

/// <summary>Latency quantiles in milliseconds.</summary>
/// <param name="P50">Median.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
public sealed record LatencyFigures(double P50, double P95, double P99);
