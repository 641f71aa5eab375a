using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>One judged (or deliberately unjudged) check of a <see cref="GateReport"/>, with every figure behind it.</summary>
public sealed record GateCheck
{
    /// <summary>What the check judges.</summary>
    [JsonPropertyName("kind")]
    public required GateCheckKind Kind { get; init; }

    /// <summary>The metric, fairness figure or latency percentile (p50_ms, p95_ms, p99_ms).</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Passed, failed, skipped or insufficient support.</summary>
    [JsonPropertyName("status")]
    public required GateCheckStatus Status { get; init; }

    /// <summary>True when passed, false when failed, null when not judged.</summary>
    [JsonPropertyName("passed")]
    public bool? Passed => Status switch
    {
        GateCheckStatus.Passed => true,
        GateCheckStatus.Failed => false,
        _ => null,
    };

    /// <summary>Why the check passed, failed or was not judged, in words.</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    /// <summary>Slice or sensitive column, when the check is about one.</summary>
    [JsonPropertyName("column")]
    public string? Column { get; init; }

    /// <summary>Slice value, when the check is about one.</summary>
    [JsonPropertyName("slice_value")]
    public string? SliceValue { get; init; }

    /// <summary>Rows the figures were computed on.</summary>
    [JsonPropertyName("support")]
    public int? Support { get; init; }

    /// <summary>Which way the figure improves.</summary>
    [JsonPropertyName("direction")]
    public MetricDirection? Direction { get; init; }

    /// <summary>The champion's value (null: no champion, or missing).</summary>
    [JsonPropertyName("champion_value")]
    public double? ChampionValue { get; init; }

    /// <summary>The challenger's value (null: missing).</summary>
    [JsonPropertyName("challenger_value")]
    public double? ChallengerValue { get; init; }

    /// <summary>Challenger − champion.</summary>
    [JsonPropertyName("delta")]
    public double? Delta { get; init; }

    /// <summary>(Challenger − champion) / |champion|; null on a zero baseline.</summary>
    [JsonPropertyName("relative_delta")]
    public double? RelativeDelta { get; init; }

    /// <summary>The absolute bound: a minimum when higher is better, a maximum when lower is better.</summary>
    [JsonPropertyName("bound")]
    public double? Bound { get; init; }

    /// <summary>The allowed regression applied, in the metric's units (the tighter of the absolute and relative allowances).</summary>
    [JsonPropertyName("allowed_regression")]
    public double? AllowedRegression { get; init; }

    /// <summary>The policy's relative allowance (a fraction of |champion|), when it has one.</summary>
    [JsonPropertyName("allowed_relative_regression")]
    public double? AllowedRelativeRegression { get; init; }

    /// <summary>
    /// The significance test on the paired predictions, when one ran: always when the rule requires
    /// one; otherwise (for information) for accuracy, AUC, log-loss, RMSE and MAE, whose tests are cheap.
    /// </summary>
    [JsonPropertyName("significance")]
    public GateSignificance? Significance { get; init; }
}
