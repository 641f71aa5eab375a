using System.Text.Json.Serialization;

namespace Keel.Core.Monitoring;

/// <summary>Which side of its thresholds a rule's metric breaches on.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertDirection>))]
public enum AlertDirection
{
    /// <summary>A value at or above a threshold breaches it (error rate, latency, drift distance).</summary>
    [JsonStringEnumMemberName("above")]
    Above,

    /// <summary>A value at or below a threshold breaches it (accuracy, traffic, a drift test's p-value).</summary>
    [JsonStringEnumMemberName("below")]
    Below,
}
