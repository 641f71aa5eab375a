using Keel.Core.Errors;

namespace Keel.Core.Monitoring;

/// <summary>
/// A metric of an endpoint's monitoring windows, written as alert rules and the monitoring API name
/// it: <c>traffic</c>, <c>error_rate</c>, <c>latency_p50|latency_p95|latency_p99</c>,
/// <c>drift_share</c>, <c>drift_score:FEATURE</c>, <c>prediction_drift_score</c>, or a quality
/// metric once labels arrive: <c>accuracy|precision|recall|f1|auc|log_loss|rmse|mae|r2</c>.
/// </summary>
public sealed record MonitoringMetric
{
    /// <summary>The prefix of a feature's drift score.</summary>
    public const string DriftScorePrefix = "drift_score:";

    /// <summary>The longest feature name a metric may name.</summary>
    public const int MaxFeatureLength = 250;

    private static readonly (string Name, MonitoringMetricKind Kind)[] Plain =
    [
        ("traffic", MonitoringMetricKind.Traffic),
        ("error_rate", MonitoringMetricKind.ErrorRate),
        ("latency_p50", MonitoringMetricKind.LatencyP50),
        ("latency_p95", MonitoringMetricKind.LatencyP95),
        ("latency_p99", MonitoringMetricKind.LatencyP99),
        ("drift_share", MonitoringMetricKind.DriftShare),
        ("prediction_drift_score", MonitoringMetricKind.PredictionDriftScore),
        ("accuracy", MonitoringMetricKind.Accuracy),
        ("precision", MonitoringMetricKind.Precision),
        ("recall", MonitoringMetricKind.Recall),
        ("f1", MonitoringMetricKind.F1),
        ("auc", MonitoringMetricKind.Auc),
        ("log_loss", MonitoringMetricKind.LogLoss),
        ("rmse", MonitoringMetricKind.Rmse),
        ("mae", MonitoringMetricKind.Mae),
        ("r2", MonitoringMetricKind.R2),
    ];

    private MonitoringMetric(MonitoringMetricKind kind, string? feature)
    {
        Kind = kind;
        Feature = feature;
    }

    /// <summary>Every valid name, for messages and documentation (<c>drift_score:FEATURE</c> stands for any feature).</summary>
    public static string ValidNames { get; } = string.Join(", ", Plain.Select(p => p.Name).Append(DriftScorePrefix + "FEATURE"));

    /// <summary>What the metric measures.</summary>
    public MonitoringMetricKind Kind { get; }

    /// <summary>The feature of a <see cref="MonitoringMetricKind.DriftScore"/>; null for every other kind.</summary>
    public string? Feature { get; }

    /// <summary>True for the quality metrics, which need labels.</summary>
    public bool IsQuality => Kind >= MonitoringMetricKind.Accuracy;

    /// <summary>A metric without a feature.</summary>
    /// <param name="kind">Any kind but <see cref="MonitoringMetricKind.DriftScore"/>.</param>
    public static MonitoringMetric Of(MonitoringMetricKind kind) =>
        kind == MonitoringMetricKind.DriftScore ? throw new ArgumentException("A drift score names its feature: use DriftScoreOf.", nameof(kind)) : new MonitoringMetric(kind, null);

    /// <summary>A feature's drift score.</summary>
    /// <param name="feature">The feature (column) name.</param>
    public static MonitoringMetric DriftScoreOf(string feature) =>
        Parse(DriftScorePrefix + feature, "metric");

    /// <summary>Parses a metric name.</summary>
    /// <param name="text">The name as written.</param>
    /// <param name="field">The field or option it came from, for the message.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the field and listing the valid names.</exception>
    public static MonitoringMetric Parse(string? text, string field)
    {
        if (TryParse(text, out var metric))
        {
            return metric;
        }

        var why = text is not null && text.StartsWith(DriftScorePrefix, StringComparison.Ordinal)
            ? $"a drift score names a feature of 1 to {MaxFeatureLength} characters without control characters after '{DriftScorePrefix}'"
            : "it must be one of " + ValidNames;
        throw KeelException.InvalidParameter($"Invalid value '{text}' for '{field}': {why}.");
    }

    /// <summary>Parses a metric name; false for an unknown one.</summary>
    /// <param name="text">The name as written.</param>
    /// <param name="metric">The metric, when valid.</param>
    public static bool TryParse(string? text, out MonitoringMetric metric)
    {
        metric = null!;
        if (text is null)
        {
            return false;
        }

        if (text.StartsWith(DriftScorePrefix, StringComparison.Ordinal))
        {
            var feature = text[DriftScorePrefix.Length..];
            if (feature.Length is 0 or > MaxFeatureLength || feature.Any(char.IsControl))
            {
                return false;
            }

            metric = new MonitoringMetric(MonitoringMetricKind.DriftScore, feature);
            return true;
        }

        foreach (var (name, kind) in Plain)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                metric = new MonitoringMetric(kind, null);
                return true;
            }
        }

        return false;
    }

    /// <summary>The metric's name as written in rules and the API.</summary>
    public override string ToString() =>
        Kind == MonitoringMetricKind.DriftScore ? DriftScorePrefix + Feature : Plain.First(p => p.Kind == Kind).Name;
}
