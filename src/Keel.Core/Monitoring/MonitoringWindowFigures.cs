namespace Keel.Core.Monitoring;

/// <summary>One window's figures.</summary>
/// <param name="Start">Window start.</param>
/// <param name="End">Window end (exclusive).</param>
/// <param name="Traffic">Requests answered (shadow copies left out).</param>
/// <param name="Errors">Requests that failed.</param>
/// <param name="ErrorRate">Errors over traffic; null without traffic.</param>
/// <param name="LatencyMs">Scoring latency quantiles in milliseconds.</param>
/// <param name="Drift">Feature drift against the reference, or null without one.</param>
/// <param name="PredictionDrift">Drift of the model's answers against the reference's label distribution, or null.</param>
/// <param name="Quality">Quality over the window's labelled predictions, or null before labels arrive.</param>
/// <param name="Versions">The same per model version (champion and challenger during a rollout).</param>
public sealed record MonitoringWindowFigures(
    DateTimeOffset Start,
    DateTimeOffset End,
    long Traffic,
    long Errors,
    double? ErrorRate,
    LatencyFigures? LatencyMs,
    DriftFigures? Drift,
    ColumnDriftFigures? PredictionDrift,
    QualityFigures? Quality,
    IReadOnlyList<VersionFigures> Versions);
