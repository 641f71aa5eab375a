using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>The outcome of one check.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateCheckStatus>))]
public enum GateCheckStatus
{
    /// <summary>The check held.</summary>
    [JsonStringEnumMemberName("passed")]
    Passed,

    /// <summary>The check failed; the gate fails.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Not judged, by policy (the reason says why); does not fail the gate.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>A slice value with fewer rows than its minimum support; not judged.</summary>
    [JsonStringEnumMemberName("insufficient_support")]
    InsufficientSupport,
}
