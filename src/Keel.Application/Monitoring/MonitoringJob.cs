using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Application.Monitoring;

/// <summary>
/// The payload of monitoring's queued jobs: compute one bucket (<see cref="BucketKind"/>) or
/// refresh the quality of an endpoint's buckets that have new labels (<see cref="QualityKind"/>).
/// </summary>
public sealed record MonitoringJob
{
    /// <summary>Compute one bucket of an endpoint from its prediction log.</summary>
    public const string BucketKind = "monitoring-bucket";

    /// <summary>Recompute quality where labels arrived.</summary>
    public const string QualityKind = "monitoring-quality";

    /// <summary>The endpoint.</summary>
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    /// <summary>The bucket's start, Unix milliseconds (bucket jobs).</summary>
    [JsonPropertyName("start_ms")]
    public long StartMs { get; init; }

    /// <summary>The bucket's length in seconds (bucket jobs).</summary>
    [JsonPropertyName("seconds")]
    public int Seconds { get; init; }

    /// <summary>The payload as JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Reads a payload; a malformed one fails the job for good (it cannot get better).</summary>
    public static MonitoringJob Parse(string json) =>
        JsonSerializer.Deserialize<MonitoringJob>(json) ?? throw new JsonException("The monitoring job has no payload.");
}
