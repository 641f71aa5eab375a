using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>
/// Judge the metric rules again on every value of a slice column (sex=F, region=EU, ...). A value
/// with fewer rows than <see cref="MinSupport"/> is reported as insufficient support and not judged.
/// </summary>
public sealed record SliceRule
{
    /// <summary>The slice column, a key of <see cref="GateInputs.SliceColumns"/>.</summary>
    [JsonPropertyName("column")]
    public required string Column { get; init; }

    /// <summary>Fewest rows a slice value needs to be judged (≥ 1); default 30.</summary>
    [JsonPropertyName("min_support")]
    public int MinSupport { get; set; } = 30;

    /// <summary>The metric rules to apply (by name); null applies all of the policy's rules.</summary>
    [JsonPropertyName("metrics")]
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>
    /// Whether the rules' significance requirements apply within slices too. Default false: tests are
    /// reported per slice, but a slice is small, so asking it for significance would fail good models;
    /// slices guard against regressions through bounds and allowances.
    /// </summary>
    [JsonPropertyName("require_significance")]
    public bool RequireSignificance { get; init; }
}
