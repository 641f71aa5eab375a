using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>
/// One metric the gate judges. Regression is how much worse the challenger is than the champion in
/// the metric's direction (≤ 0 when it is as good or better). When both allowances are given,
/// both must hold (the tighter wins); when neither is, no regression is allowed. The relative
/// allowance is a fraction of |champion|, so on a zero baseline it allows no regression at all
/// (the report says "zero baseline"); an absolute allowance does not loosen that.
/// </summary>
public sealed record MetricRule
{
    /// <summary>Metric name as the gate computes it (auc, accuracy, log_loss, rmse, ...) or as supplied.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Which way the metric improves.</summary>
    [JsonPropertyName("direction")]
    public required MetricDirection Direction { get; init; }

    /// <summary>Absolute bound on the challenger: a minimum when higher is better, a maximum when lower is better.</summary>
    [JsonPropertyName("bound")]
    public double? Bound { get; init; }

    /// <summary>Largest allowed regression vs the champion, in the metric's units (≥ 0).</summary>
    [JsonPropertyName("max_regression")]
    public double? MaxRegression { get; init; }

    /// <summary>Largest allowed regression as a fraction of |champion| (≥ 0; 0.02 = 2%).</summary>
    [JsonPropertyName("max_relative_regression")]
    public double? MaxRelativeRegression { get; init; }

    /// <summary>Significance asked of this rule; null takes the policy's <see cref="GatePolicy.RequireSignificance"/> (superiority when true).</summary>
    [JsonPropertyName("significance")]
    public SignificanceRequirement? Significance { get; init; }
}
