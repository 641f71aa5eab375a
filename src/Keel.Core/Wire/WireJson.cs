using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>
/// Source-generated JSON for the wire contract: snake_case names, unset (null) fields omitted,
/// int64 written as numbers but accepted as strings too, NaN and ±Infinity as strings both ways.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    AllowTrailingCommas = false,
    Converters = [typeof(FiniteDoubleConverter)])]
[JsonSerializable(typeof(ErrorDto))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(ExperimentIdRequest))]
[JsonSerializable(typeof(UpdateExperimentRequest))]
[JsonSerializable(typeof(SetExperimentTagRequest))]
[JsonSerializable(typeof(GetExperimentResponse))]
[JsonSerializable(typeof(SearchExperimentsRequest))]
[JsonSerializable(typeof(SearchExperimentsResponse))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(RunIdRequest))]
[JsonSerializable(typeof(SearchRunsRequest))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(LogMetricRequest))]
[JsonSerializable(typeof(RunKeyValueRequest))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(LogModelRequest))]
[JsonSerializable(typeof(LogInputsRequest))]
[JsonSerializable(typeof(MetricsResponse))]
[JsonSerializable(typeof(MetricsWithRunIdResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
[JsonSerializable(typeof(SearchDatasetsRequest))]
[JsonSerializable(typeof(SearchDatasetsResponse))]
[JsonSerializable(typeof(CreatePromptlabRunRequest))]
[JsonSerializable(typeof(CreateRegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(RegisteredModelNameRequest))]
[JsonSerializable(typeof(RenameRegisteredModelRequest))]
[JsonSerializable(typeof(SearchRegisteredModelsResponse))]
[JsonSerializable(typeof(GetLatestVersionsRequest))]
[JsonSerializable(typeof(ModelVersionsResponse))]
[JsonSerializable(typeof(RegisteredModelTagRequest))]
[JsonSerializable(typeof(AliasRequest))]
[JsonSerializable(typeof(CreateModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(ModelVersionRequest))]
[JsonSerializable(typeof(TransitionModelVersionStageRequest))]
[JsonSerializable(typeof(ModelVersionTagRequest))]
[JsonSerializable(typeof(GetModelVersionDownloadUriResponse))]
[JsonSerializable(typeof(RegistryEventsResponse))]
[JsonSerializable(typeof(RegisteredModelDto))]
[JsonSerializable(typeof(ModelVersionDto))]
public sealed partial class WireJson : JsonSerializerContext
{
}
