using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>
/// A limit on one of the challenger's group-fairness figures over a sensitive column, as computed by
/// <see cref="Metrics.GroupFairness"/>: demographic_parity_difference, equal_opportunity_difference,
/// equalized_odds_difference, worst_group_auc, worst_group_error (binary); accuracy_difference,
/// worst_group_error (multiclass); mae_difference, worst_group_mae (regression).
/// </summary>
public sealed record FairnessLimit
{
    /// <summary>The sensitive column, a key of <see cref="GateInputs.SensitiveColumns"/>.</summary>
    [JsonPropertyName("column")]
    public required string Column { get; init; }

    /// <summary>The figure to limit.</summary>
    [JsonPropertyName("metric")]
    public required string Metric { get; init; }

    /// <summary>Largest allowed value (gaps, worst-group error).</summary>
    [JsonPropertyName("max")]
    public double? Max { get; init; }

    /// <summary>Smallest allowed value (worst-group AUC).</summary>
    [JsonPropertyName("min")]
    public double? Min { get; init; }
}
