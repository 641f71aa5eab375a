namespace Keel.Core.Tracking;

/// <summary>One point of a metric's history. <paramref name="Timestamp"/> is Unix milliseconds.</summary>
public readonly record struct Metric(string Key, double Value, long Timestamp, long Step);

/// <summary>A metric point tagged with the run it belongs to (bulk history reads).</summary>
public readonly record struct MetricWithRunId(string RunId, Metric Metric);
