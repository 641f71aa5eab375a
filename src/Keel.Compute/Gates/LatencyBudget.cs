using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>
/// Limits on percentiles of the challenger's measured scoring latencies (milliseconds, per row or per
/// batch as the caller measured them). Percentiles interpolate linearly between order statistics,
/// as numpy.percentile.
/// </summary>
public sealed record LatencyBudget
{
    /// <summary>Largest allowed median, in milliseconds.</summary>
    [JsonPropertyName("p50_ms")]
    public double? P50Ms { get; init; }

    /// <summary>Largest allowed 95th percentile, in milliseconds.</summary>
    [JsonPropertyName("p95_ms")]
    public double? P95Ms { get; init; }

    /// <summary>Largest allowed 99th percentile, in milliseconds.</summary>
    [JsonPropertyName("p99_ms")]
    public double? P99Ms { get; init; }
}
