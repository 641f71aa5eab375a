using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of MLflow's auth API and Keel's governance API (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(UserPasswordRequest))]
[JsonSerializable(typeof(UpdateUserAdminRequest))]
[JsonSerializable(typeof(DeleteUserRequest))]
[JsonSerializable(typeof(MlflowUserResponse))]
[JsonSerializable(typeof(ExperimentPermissionRequest))]
[JsonSerializable(typeof(ExperimentPermissionResponse))]
[JsonSerializable(typeof(RegisteredModelPermissionRequest))]
[JsonSerializable(typeof(RegisteredModelPermissionResponse))]
[JsonSerializable(typeof(KeelUsersResponse))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(CreateTokenResponse))]
[JsonSerializable(typeof(ApiTokenResponse))]
[JsonSerializable(typeof(ApiTokensResponse))]
[JsonSerializable(typeof(GroupsResponse))]
[JsonSerializable(typeof(RoleBindingWire))]
[JsonSerializable(typeof(RoleBindingResponse))]
[JsonSerializable(typeof(RoleBindingsResponse))]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(GovernanceEmptyResponse))]
public sealed partial class GovernanceJson : JsonSerializerContext
{
}
