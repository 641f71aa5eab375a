using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>The body of <c>PUT /api/2.0/keel/endpoints/{name}/monitoring/settings</c>.</summary>
public sealed class MonitoringSettingsRequest
{
    /// <summary>An explicit reference dataset (<c>datasets:/NAME/VERSION</c>, <c>@alias</c> or <c>@latest</c>, resolved once), or null for each version's training data.</summary>
    [JsonPropertyName("reference")]
    public string? Reference { get; set; }

    /// <summary>Drift options: <c>method</c>, <c>threshold</c>, <c>per_column</c> (column to method), <c>per_column_threshold</c>, <c>drift_share</c>.</summary>
    [JsonPropertyName("drift")]
    public JsonElement? Drift { get; set; }
}
