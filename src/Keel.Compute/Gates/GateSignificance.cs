using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>The significance test run for a check.</summary>
public sealed record GateSignificance
{
    /// <summary>mcnemar_exact, mcnemar_chi2, delong or bootstrap.</summary>
    [JsonPropertyName("test")]
    public required string Test { get; init; }

    /// <summary>What the rule asked of the test.</summary>
    [JsonPropertyName("requirement")]
    public required SignificanceRequirement Requirement { get; init; }

    /// <summary>The test's p-value (two-sided for McNemar and DeLong, one-sided for the bootstrap).</summary>
    [JsonPropertyName("p_value")]
    public required double PValue { get; init; }

    /// <summary>The level p is compared with.</summary>
    [JsonPropertyName("alpha")]
    public required double Alpha { get; init; }

    /// <summary>True when the test supports the requirement (superiority when none was asked) at alpha.</summary>
    [JsonPropertyName("significant")]
    public required bool Significant { get; init; }

    /// <summary>McNemar: min(b, c) (exact) or the chi-square; DeLong: z. Null for the bootstrap or an infinite z.</summary>
    [JsonPropertyName("statistic")]
    public double? Statistic { get; init; }

    /// <summary>McNemar's b: rows only the challenger got right.</summary>
    [JsonPropertyName("challenger_only_correct")]
    public long? ChallengerOnlyCorrect { get; init; }

    /// <summary>McNemar's c: rows only the champion got right.</summary>
    [JsonPropertyName("champion_only_correct")]
    public long? ChampionOnlyCorrect { get; init; }

    /// <summary>DeLong's standard error of the AUC difference.</summary>
    [JsonPropertyName("standard_error")]
    public double? StandardError { get; init; }

    /// <summary>Bootstrap: mean of challenger − champion over the resamples.</summary>
    [JsonPropertyName("mean_difference")]
    public double? MeanDifference { get; init; }

    /// <summary>Bootstrap: lower end of the percentile interval of challenger − champion.</summary>
    [JsonPropertyName("ci_lower")]
    public double? CiLower { get; init; }

    /// <summary>Bootstrap: upper end of the interval.</summary>
    [JsonPropertyName("ci_upper")]
    public double? CiUpper { get; init; }

    /// <summary>Bootstrap: the interval's confidence level.</summary>
    [JsonPropertyName("confidence")]
    public double? Confidence { get; init; }

    /// <summary>Bootstrap: resamples drawn.</summary>
    [JsonPropertyName("resamples")]
    public int? Resamples { get; init; }

    /// <summary>Bootstrap: the seed.</summary>
    [JsonPropertyName("seed")]
    public ulong? Seed { get; init; }

    /// <summary>Non-inferiority margin (the allowed regression), in the metric's units.</summary>
    [JsonPropertyName("margin")]
    public double? Margin { get; init; }
}
