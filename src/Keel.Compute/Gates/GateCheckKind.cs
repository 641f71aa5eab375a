using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>What a check judges.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateCheckKind>))]
public enum GateCheckKind
{
    /// <summary>A metric rule on all rows.</summary>
    [JsonStringEnumMemberName("metric")]
    Metric,

    /// <summary>A metric rule on one slice value (or the slice's support, or a missing slice column).</summary>
    [JsonStringEnumMemberName("slice")]
    Slice,

    /// <summary>A fairness limit.</summary>
    [JsonStringEnumMemberName("fairness")]
    Fairness,

    /// <summary>A latency percentile against its budget.</summary>
    [JsonStringEnumMemberName("latency")]
    Latency,

    /// <summary>The first-model rule (there is no champion).</summary>
    [JsonStringEnumMemberName("first_model")]
    FirstModel,
}
