using System.Text.Json.Serialization;

namespace Keel.Core.Serving;

/// <summary>
/// What the prediction log keeps of a column an endpoint declares sensitive (<c>sensitive_columns</c>).
/// The model always sees the real value; only the logged copy is changed.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SensitiveColumnMode>))]
public enum SensitiveColumnMode
{
    /// <summary>Every value is logged as <c>"***"</c>.</summary>
    [JsonStringEnumMemberName("mask")]
    Mask,

    /// <summary>
    /// Every value is logged as <c>hmac:</c> and the hex HMAC-SHA256 of its text under the server's key:
    /// equal values stay equal, so monitoring can still count distinct values, but they cannot be read back.
    /// </summary>
    [JsonStringEnumMemberName("hash")]
    Hash,

    /// <summary>The column is left out of the log.</summary>
    [JsonStringEnumMemberName("drop")]
    Drop,
}
