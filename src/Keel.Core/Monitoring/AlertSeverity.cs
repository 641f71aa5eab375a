using System.Text.Json.Serialization;

namespace Keel.Core.Monitoring;

/// <summary>How bad a breach is: which threshold it crossed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertSeverity>))]
public enum AlertSeverity
{
    /// <summary>The warning threshold is crossed, the critical one is not.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>The critical threshold is crossed.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,
}
