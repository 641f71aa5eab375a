using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>The body of <c>POST /api/2.0/keel/endpoints/{name}/feedback</c>.</summary>
public sealed class FeedbackRequest
{
    /// <summary>The labels.</summary>
    [JsonPropertyName("labels")]
    public List<FeedbackItem?>? Labels { get; set; }
}
