using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the monitoring-store API (snake_case, nulls left out), shared by the server and the SDK.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(PutMonitoringBucketRequest))]
[JsonSerializable(typeof(MonitoringBucketsResponse))]
[JsonSerializable(typeof(LatestBucketEndResponse))]
[JsonSerializable(typeof(AddLabelsRequest))]
[JsonSerializable(typeof(FeedbackOutcomeMessage))]
[JsonSerializable(typeof(StaleQualityBucketsResponse))]
[JsonSerializable(typeof(LabeledPredictionsResponse))]
[JsonSerializable(typeof(PutQualityRequest))]
[JsonSerializable(typeof(LabelSummaryMessage))]
[JsonSerializable(typeof(PurgeMonitoringRequest))]
[JsonSerializable(typeof(PurgeMonitoringResponse))]
[JsonSerializable(typeof(MonitoringSettingsMessage))]
[JsonSerializable(typeof(MonitoringSettingsResponse))]
[JsonSerializable(typeof(MonitoringStoreEmpty))]
public sealed partial class MonitoringStoreJson : JsonSerializerContext
{
}
