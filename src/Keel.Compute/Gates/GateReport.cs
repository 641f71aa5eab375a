using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>The gate's decision and every check behind it. Serialises with stable snake_case names; figures are never NaN (a missing figure is null or absent).</summary>
public sealed record GateReport
{
    /// <summary>pass when no check failed.</summary>
    [JsonPropertyName("decision")]
    public required GateDecision Decision { get; init; }

    /// <summary>The task the models solve.</summary>
    [JsonPropertyName("task")]
    public required GateTask Task { get; init; }

    /// <summary>Rows of the evaluation set.</summary>
    [JsonPropertyName("rows")]
    public required int Rows { get; init; }

    /// <summary>True when there was no champion.</summary>
    [JsonPropertyName("first_model")]
    public required bool FirstModel { get; init; }

    /// <summary>The policy's first-model rule.</summary>
    [JsonPropertyName("first_model_policy")]
    public required FirstModelPolicy FirstModelPolicy { get; init; }

    /// <summary>The significance level used.</summary>
    [JsonPropertyName("alpha")]
    public required double Alpha { get; init; }

    /// <summary>Every check, in policy order: first model, metrics, slices, fairness, latency.</summary>
    [JsonPropertyName("checks")]
    public required IReadOnlyList<GateCheck> Checks { get; init; }

    /// <summary>The failed checks' reasons, or one line saying what passed.</summary>
    [JsonPropertyName("reasons")]
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>The challenger's metrics on all rows (computed and supplied; undefined ones left out).</summary>
    [JsonPropertyName("challenger_metrics")]
    public required IReadOnlyDictionary<string, double> ChallengerMetrics { get; init; }

    /// <summary>The champion's metrics on all rows; null for a first model.</summary>
    [JsonPropertyName("champion_metrics")]
    public IReadOnlyDictionary<string, double>? ChampionMetrics { get; init; }

    /// <summary>True when the decision is pass.</summary>
    [JsonIgnore]
    public bool Passed => Decision == GateDecision.Pass;

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, GateJson.Default.GateReport);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    public static GateReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, GateJson.Default.GateReport) ?? throw new JsonException("The gate report is null.");
}
