namespace Keel.Serving.Logging;

/// <summary>When the writer writes what it has collected: at this many records, or when the oldest has waited this long (zero: at once).</summary>
internal readonly record struct PredictionLogFlush(int Records, TimeSpan Interval);
