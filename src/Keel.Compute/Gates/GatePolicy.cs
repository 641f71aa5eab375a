using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>What a challenger must show to replace the champion. Serialises with snake_case names (see <see cref="GateJson"/>).</summary>
// Properties with defaults have setters, not init: System.Text.Json's source generator fills init-only
// properties through the constructor, so a key left out of the JSON would read as 0 instead of its default.
public sealed record GatePolicy
{
    /// <summary>The metric rules, judged on all rows (and per slice).</summary>
    [JsonPropertyName("metrics")]
    public IReadOnlyList<MetricRule> Metrics { get; set; } = [];

    /// <summary>What happens when there is no champion; default <see cref="FirstModelPolicy.Pass"/>.</summary>
    [JsonPropertyName("first_model")]
    public FirstModelPolicy FirstModel { get; set; } = FirstModelPolicy.Pass;

    /// <summary>What a rule does when the champion's metric is missing; default <see cref="MissingChampionMetricPolicy.Fail"/>.</summary>
    [JsonPropertyName("missing_champion_metric")]
    public MissingChampionMetricPolicy MissingChampionMetric { get; set; } = MissingChampionMetricPolicy.Fail;

    /// <summary>Significance level of every test; default 0.05.</summary>
    [JsonPropertyName("alpha")]
    public double Alpha { get; set; } = 0.05;

    /// <summary>Default for rules without their own <see cref="MetricRule.Significance"/>: true asks for superiority.</summary>
    [JsonPropertyName("require_significance")]
    public bool RequireSignificance { get; init; }

    /// <summary>Paired bootstrap resamples; default 1000.</summary>
    [JsonPropertyName("bootstrap_resamples")]
    public int BootstrapResamples { get; set; } = 1000;

    /// <summary>Paired bootstrap seed; default 0. The same seed gives the same report.</summary>
    [JsonPropertyName("bootstrap_seed")]
    public ulong BootstrapSeed { get; init; }

    /// <summary>Confidence level of the bootstrap intervals; default 0.95.</summary>
    [JsonPropertyName("confidence")]
    public double Confidence { get; set; } = 0.95;

    /// <summary>Binary decision threshold on the positive probability (accuracy, F1, fairness); default 0.5.</summary>
    [JsonPropertyName("threshold")]
    public double Threshold { get; set; } = 0.5;

    /// <summary>Slices to judge the rules on.</summary>
    [JsonPropertyName("slices")]
    public IReadOnlyList<SliceRule> Slices { get; set; } = [];

    /// <summary>Fairness limits on the challenger.</summary>
    [JsonPropertyName("fairness")]
    public IReadOnlyList<FairnessLimit> Fairness { get; set; } = [];

    /// <summary>Latency budget on the challenger; null for none.</summary>
    [JsonPropertyName("latency")]
    public LatencyBudget? Latency { get; init; }
}
