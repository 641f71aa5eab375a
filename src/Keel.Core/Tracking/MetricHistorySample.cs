namespace Keel.Core.Tracking;

/// <summary>A metric history reduced for a chart.</summary>
/// <param name="Points">The points kept, in x order.</param>
/// <param name="Total">How many points the full history has.</param>
/// <param name="Downsampled">Whether points were left out.</param>
/// <param name="Min">The smallest finite value of the full history (null when it has none).</param>
/// <param name="Max">The largest finite value of the full history (null when it has none).</param>
public sealed record MetricHistorySample(IReadOnlyList<Metric> Points, int Total, bool Downsampled, double? Min, double? Max);
