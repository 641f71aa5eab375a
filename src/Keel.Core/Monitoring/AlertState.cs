using System.Text.Json.Serialization;

namespace Keel.Core.Monitoring;

/// <summary>Where an alert is in its life; see <see cref="AlertStateTransitions"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
public enum AlertState
{
    /// <summary>The metric breaches, for fewer windows in a row than the rule's <c>for</c>.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The metric has breached for <c>for</c> windows in a row, and still does.</summary>
    [JsonStringEnumMemberName("firing")]
    Firing,

    /// <summary>The breach cleared (or the rule was deleted). Final: a new breach opens a new alert.</summary>
    [JsonStringEnumMemberName("resolved")]
    Resolved,
}
