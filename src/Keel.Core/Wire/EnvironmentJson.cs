using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the environments and approvals API (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(EnvironmentsResponse))]
[JsonSerializable(typeof(EnvironmentPolicyInfo))]
[JsonSerializable(typeof(EnvironmentResponse))]
[JsonSerializable(typeof(PutEnvironmentRequest))]
[JsonSerializable(typeof(EnvironmentAssignmentInfo))]
[JsonSerializable(typeof(EnvironmentAssignmentsResponse))]
[JsonSerializable(typeof(EnvironmentAssignmentResponse))]
[JsonSerializable(typeof(ApprovalInfo))]
[JsonSerializable(typeof(ApprovalsResponse))]
[JsonSerializable(typeof(ApprovalResponse))]
[JsonSerializable(typeof(CreateApprovalRequest))]
[JsonSerializable(typeof(DecideApprovalRequest))]
[JsonSerializable(typeof(string))]
public sealed partial class EnvironmentJson : JsonSerializerContext
{
}
