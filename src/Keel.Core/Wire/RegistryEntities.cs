// Wire shapes of MLflow's model-registry entities (model_registry.proto), shared by server and SDK.
// As in WireEntities.cs every field is nullable: null is "not set" and is omitted on the wire.
namespace Keel.Core.Wire;

public sealed class RegisteredModelDto
{
    public string? Name { get; set; }

    public long? CreationTimestamp { get; set; }

    public long? LastUpdatedTimestamp { get; set; }

    public string? UserId { get; set; }

    public string? Description { get; set; }

    public List<ModelVersionDto>? LatestVersions { get; set; }

    public List<KeyValueDto>? Tags { get; set; }

    public List<RegisteredModelAliasDto>? Aliases { get; set; }
}

public sealed class ModelVersionDto
{
    public string? Name { get; set; }

    public string? Version { get; set; }

    public long? CreationTimestamp { get; set; }

    public long? LastUpdatedTimestamp { get; set; }

    public string? UserId { get; set; }

    public string? CurrentStage { get; set; }

    public string? Description { get; set; }

    public string? Source { get; set; }

    public string? RunId { get; set; }

    public string? Status { get; set; }

    public string? StatusMessage { get; set; }

    public List<KeyValueDto>? Tags { get; set; }

    public string? RunLink { get; set; }

    public List<string>? Aliases { get; set; }
}

public sealed class RegisteredModelAliasDto
{
    public string? Alias { get; set; }

    public string? Version { get; set; }
}

/// <summary>Keel's own audit record of a registry change (not an MLflow message).</summary>
public sealed class RegistryEventDto
{
    public long? Id { get; set; }

    public long? Timestamp { get; set; }

    public string? Actor { get; set; }

    public string? Action { get; set; }

    public string? Name { get; set; }

    public string? Version { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }
}
