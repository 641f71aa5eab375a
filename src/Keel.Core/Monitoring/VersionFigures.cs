namespace Keel.Core.Monitoring;

/// <summary>One model version's figures in a window.</summary>
/// <param name="Version">The model version, <c>name/version</c>.</param>
/// <param name="Role">live, canary or shadow.</param>
/// <param name="Traffic">Requests it answered.</param>
/// <param name="Errors">Requests that failed.</param>
/// <param name="ErrorRate">Errors over traffic.</param>
/// <param name="LatencyMs">Latency quantiles.</param>
/// <param name="Quality">Quality over its labelled predictions, or null.</param>
public sealed record VersionFigures(string Version, string Role, long Traffic, long Errors, double? ErrorRate, LatencyFigures? LatencyMs, QualityFigures? Quality);
