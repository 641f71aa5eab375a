using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>What a metric rule does when the champion's value of its metric is missing (undefined, or not supplied).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MissingChampionMetricPolicy>))]
public enum MissingChampionMetricPolicy
{
    /// <summary>Default: the comparison cannot run, so the check fails.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>The comparison is skipped (reported as such) and only the rule's absolute bound is judged.</summary>
    [JsonStringEnumMemberName("bounds_only")]
    BoundsOnly,
}
