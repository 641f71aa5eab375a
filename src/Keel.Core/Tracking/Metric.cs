namespace Keel.Core.Tracking;

/// <summary>One point of a metric's history.</summary>
/// <param name="Key">The metric name.</param>
/// <param name="Value">The value; NaN and infinities are kept.</param>
/// <param name="Timestamp">When it was measured, Unix milliseconds.</param>
/// <param name="Step">The training step (0 when not given).</param>
public readonly record struct Metric(string Key, double Value, long Timestamp, long Step);

/// <summary>A metric point tagged with the run it belongs to (bulk history reads).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Metric">The point.</param>
public readonly record struct MetricWithRunId(string RunId, Metric Metric);
