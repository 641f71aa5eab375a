// Requests and responses of MLflow's 21 model-registry RPCs (model_registry.proto), plus Keel's
// registry audit answer. Versions are strings on the wire but some clients send numbers, hence
// StringOrNumberConverter on request fields.
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

public sealed class CreateRegisteredModelRequest
{
    public string? Name { get; set; }

    public List<KeyValueDto>? Tags { get; set; }

    public string? Description { get; set; }
}

public sealed class RegisteredModelResponse
{
    public RegisteredModelDto? RegisteredModel { get; set; }
}

/// <summary>Get, delete and update of a registered model (update also carries a description).</summary>
public sealed class RegisteredModelNameRequest
{
    public string? Name { get; set; }

    public string? Description { get; set; }
}

public sealed class RenameRegisteredModelRequest
{
    public string? Name { get; set; }

    public string? NewName { get; set; }
}

public sealed class SearchRegisteredModelsResponse
{
    public List<RegisteredModelDto>? RegisteredModels { get; set; }

    public string? NextPageToken { get; set; }
}

public sealed class GetLatestVersionsRequest
{
    public string? Name { get; set; }

    public List<string>? Stages { get; set; }
}

/// <summary>The answer of get-latest-versions and of model-versions/search (which adds a token).</summary>
public sealed class ModelVersionsResponse
{
    public List<ModelVersionDto>? ModelVersions { get; set; }

    public string? NextPageToken { get; set; }
}

/// <summary>Set and delete of a registered-model tag.</summary>
public sealed class RegisteredModelTagRequest
{
    public string? Name { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }
}

/// <summary>Set and delete of an alias.</summary>
public sealed class AliasRequest
{
    public string? Name { get; set; }

    public string? Alias { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Version { get; set; }
}

public sealed class CreateModelVersionRequest
{
    public string? Name { get; set; }

    public string? Source { get; set; }

    public string? RunId { get; set; }

    public List<KeyValueDto>? Tags { get; set; }

    public string? RunLink { get; set; }

    public string? Description { get; set; }
}

public sealed class ModelVersionResponse
{
    public ModelVersionDto? ModelVersion { get; set; }
}

/// <summary>Get, delete and update of a model version (update also carries a description).</summary>
public sealed class ModelVersionRequest
{
    public string? Name { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Version { get; set; }

    public string? Description { get; set; }
}

public sealed class TransitionModelVersionStageRequest
{
    public string? Name { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Version { get; set; }

    public string? Stage { get; set; }

    public bool? ArchiveExistingVersions { get; set; }
}

/// <summary>Set and delete of a model-version tag.</summary>
public sealed class ModelVersionTagRequest
{
    public string? Name { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Version { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }
}

public sealed class GetModelVersionDownloadUriResponse
{
    public string? ArtifactUri { get; set; }
}

public sealed class RegistryEventsResponse
{
    public List<RegistryEventDto>? Events { get; set; }
}
