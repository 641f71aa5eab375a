namespace Keel.Core.Monitoring;

/// <summary>
/// The statistics of one time bucket of an endpoint's prediction log: mergeable summaries per model
/// version (traffic, errors, latency histogram, per-feature histograms or category counts, the
/// predictions' distribution), kept as JSON whose shape belongs to the monitoring service.
/// </summary>
/// <param name="Endpoint">The endpoint's name.</param>
/// <param name="Start">The bucket's start (UTC, aligned to its length).</param>
/// <param name="Seconds">The bucket's length in seconds.</param>
/// <param name="Requests">Requests logged in the bucket, every version and role.</param>
/// <param name="Stats">The summaries, JSON.</param>
/// <param name="ComputedAt">When the bucket was computed.</param>
/// <param name="Quality">The quality summary once labels arrived, JSON; null before.</param>
public sealed record MonitoringBucket(
    string Endpoint,
    DateTimeOffset Start,
    int Seconds,
    long Requests,
    string Stats,
    DateTimeOffset ComputedAt,
    string? Quality = null)
{
    /// <summary>The bucket's exclusive end.</summary>
    public DateTimeOffset End => Start.AddSeconds(Seconds);
}
