using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the alerting API (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(AlertRuleRequest))]
[JsonSerializable(typeof(ApplyAlertRulesRequest))]
[JsonSerializable(typeof(AlertRuleResponse))]
[JsonSerializable(typeof(AlertRulesResponse))]
[JsonSerializable(typeof(AlertRuleConflictResponse))]
[JsonSerializable(typeof(AlertResponse))]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(AlertEventsResponse))]
[JsonSerializable(typeof(AlertDeliveriesResponse))]
[JsonSerializable(typeof(AckAlertRequest))]
[JsonSerializable(typeof(EvaluateAlertsRequest))]
[JsonSerializable(typeof(EvaluateAlertsResponse))]
[JsonSerializable(typeof(AlertWebhookPayload))]
public sealed partial class AlertJson : JsonSerializerContext
{
}
