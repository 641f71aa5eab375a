using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>What a metric rule asks of the significance test on the paired predictions.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SignificanceRequirement>))]
public enum SignificanceRequirement
{
    /// <summary>The test is run and reported but does not decide.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>
    /// The challenger must be better and the test must reject "no difference" at alpha: McNemar's
    /// two-sided p for accuracy, DeLong's two-sided p for AUC, the paired bootstrap's one-sided p
    /// (share of resamples where the challenger is not better) for any other metric.
    /// </summary>
    [JsonStringEnumMemberName("superiority")]
    Superiority,

    /// <summary>
    /// The paired bootstrap must reject "the challenger is worse by more than the allowed regression"
    /// at alpha (p = share of resamples worse by at least the allowance), for every metric.
    /// </summary>
    [JsonStringEnumMemberName("non_inferiority")]
    NonInferiority,
}
