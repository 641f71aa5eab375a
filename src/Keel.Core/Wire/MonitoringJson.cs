using System.Text.Json.Serialization;
using Keel.Core.Monitoring;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the monitoring API (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(FeedbackRequest))]
[JsonSerializable(typeof(FeedbackItem))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(FeedbackOutcome))]
[JsonSerializable(typeof(MonitoringReport))]
[JsonSerializable(typeof(LabelSummary))]
[JsonSerializable(typeof(MonitoringSettings))]
[JsonSerializable(typeof(MonitoringSettingsRequest))]
public sealed partial class MonitoringJson : JsonSerializerContext
{
}
