namespace Keel.Core.Monitoring;

/// <summary>One window's value of one metric.</summary>
/// <param name="WindowStart">The window's start, inclusive.</param>
/// <param name="WindowEnd">The window's end, exclusive.</param>
/// <param name="Value">The metric's value, or null when the window has no figure for it.</param>
/// <param name="SampleSize">How many observations the value stands on (requests, or labelled predictions for quality).</param>
public sealed record MonitoringPoint(DateTimeOffset WindowStart, DateTimeOffset WindowEnd, double? Value, long SampleSize);
