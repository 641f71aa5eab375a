using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>The gate's verdict.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateDecision>))]
public enum GateDecision
{
    /// <summary>Every check held: the challenger may be promoted.</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>At least one check failed.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
}
