using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>What the gate does when there is no champion to compare with.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FirstModelPolicy>))]
public enum FirstModelPolicy
{
    /// <summary>Default: comparisons are skipped; the model passes when every absolute check (bounds, slices' bounds, fairness, latency) holds.</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>As <see cref="Pass"/>, but a metric rule without an absolute bound fails: a first model must prove an absolute level on every metric.</summary>
    [JsonStringEnumMemberName("require_bounds")]
    RequireBounds,

    /// <summary>A first model never passes the gate (a person promotes it).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
}
