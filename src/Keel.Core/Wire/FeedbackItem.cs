using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>One label of a <see cref="FeedbackRequest"/>.</summary>
public sealed class FeedbackItem
{
    /// <summary>The request's id as answered in <c>x-request-id</c>.</summary>
    [JsonPropertyName("request_id")]
    public string? RequestId { get; set; }

    /// <summary>The label: one value, or an array with one value per row of the request.</summary>
    [JsonPropertyName("label")]
    public JsonElement? Label { get; set; }
}
