// Requests and responses of MLflow's tracking and artifact RPCs (service.proto, mlflow_artifacts.proto),
// shared by the server and the SDK.
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

public sealed class CreateExperimentRequest
{
    public string? Name { get; set; }

    public string? ArtifactLocation { get; set; }

    public List<KeyValueDto>? Tags { get; set; }
}

public sealed class CreateExperimentResponse
{
    public string? ExperimentId { get; set; }
}

public sealed class ExperimentIdRequest
{
    public string? ExperimentId { get; set; }
}

public sealed class UpdateExperimentRequest
{
    public string? ExperimentId { get; set; }

    public string? NewName { get; set; }
}

public sealed class SetExperimentTagRequest
{
    public string? ExperimentId { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }
}

public sealed class GetExperimentResponse
{
    public ExperimentDto? Experiment { get; set; }
}

public sealed class SearchExperimentsRequest
{
    public long? MaxResults { get; set; }

    public string? PageToken { get; set; }

    public string? Filter { get; set; }

    public List<string>? OrderBy { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? ViewType { get; set; }
}

public sealed class SearchExperimentsResponse
{
    public List<ExperimentDto>? Experiments { get; set; }

    public string? NextPageToken { get; set; }
}

public sealed class CreateRunRequest
{
    public string? ExperimentId { get; set; }

    public string? UserId { get; set; }

    public string? RunName { get; set; }

    public long? StartTime { get; set; }

    public List<KeyValueDto>? Tags { get; set; }
}

public sealed class RunResponse
{
    public RunDto? Run { get; set; }
}

public sealed class UpdateRunRequest
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Status { get; set; }

    public long? EndTime { get; set; }

    public string? RunName { get; set; }
}

public sealed class UpdateRunResponse
{
    public RunInfoDto? RunInfo { get; set; }
}

public sealed class RunIdRequest
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }
}

public sealed class SearchRunsRequest
{
    public List<string>? ExperimentIds { get; set; }

    public string? Filter { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? RunViewType { get; set; }

    public long? MaxResults { get; set; }

    public List<string>? OrderBy { get; set; }

    public string? PageToken { get; set; }
}

public sealed class SearchRunsResponse
{
    public List<RunDto>? Runs { get; set; }

    public string? NextPageToken { get; set; }
}

public sealed class LogMetricRequest
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }

    public string? Key { get; set; }

    public double? Value { get; set; }

    public long? Timestamp { get; set; }

    public long? Step { get; set; }
}

/// <summary>log-parameter and set-tag share this shape.</summary>
public sealed class RunKeyValueRequest
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }
}

public sealed class LogBatchRequest
{
    public string? RunId { get; set; }

    public List<MetricDto>? Metrics { get; set; }

    public List<KeyValueDto>? Params { get; set; }

    public List<KeyValueDto>? Tags { get; set; }
}

public sealed class LogModelRequest
{
    public string? RunId { get; set; }

    public string? ModelJson { get; set; }
}

public sealed class LogInputsRequest
{
    public string? RunId { get; set; }

    public List<DatasetInputDto>? Datasets { get; set; }
}

public sealed class MetricsResponse
{
    public List<MetricDto>? Metrics { get; set; }

    public string? NextPageToken { get; set; }
}

public sealed class MetricsWithRunIdResponse
{
    public List<MetricWithRunIdDto>? Metrics { get; set; }
}

public sealed class ListArtifactsResponse
{
    public string? RootUri { get; set; }

    public List<FileInfoDto>? Files { get; set; }

    public string? NextPageToken { get; set; }
}

public sealed class EmptyResponse
{
}

/// <summary>The UI's <c>experiments/search-datasets</c> (an ajax-only route in MLflow).</summary>
public sealed class SearchDatasetsRequest
{
    public List<string>? ExperimentIds { get; set; }
}

public sealed class SearchDatasetsResponse
{
    public List<DatasetSummaryDto>? DatasetSummaries { get; set; }
}

/// <summary>The UI's <c>runs/create-promptlab-run</c> (an ajax-only route in MLflow).</summary>
public sealed class CreatePromptlabRunRequest
{
    public string? ExperimentId { get; set; }

    public string? RunName { get; set; }

    public List<KeyValueDto>? Tags { get; set; }

    public string? PromptTemplate { get; set; }

    public List<KeyValueDto>? PromptParameters { get; set; }

    public string? ModelRoute { get; set; }

    public List<KeyValueDto>? ModelParameters { get; set; }

    public string? ModelInput { get; set; }

    public string? ModelOutput { get; set; }

    public List<KeyValueDto>? ModelOutputParameters { get; set; }

    public string? MlflowVersion { get; set; }

    public string? UserId { get; set; }

    public long? StartTime { get; set; }
}
