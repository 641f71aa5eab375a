using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the pipelines API (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ApplyPipelineRequest))]
[JsonSerializable(typeof(ApplyPipelineResponse))]
[JsonSerializable(typeof(PipelinesResponse))]
[JsonSerializable(typeof(PipelineResponse))]
[JsonSerializable(typeof(StartPipelineRunRequest))]
[JsonSerializable(typeof(StartPipelineRunResponse))]
[JsonSerializable(typeof(PlanPipelineRequest))]
[JsonSerializable(typeof(PlanPipelineResponse))]
[JsonSerializable(typeof(PipelineRunResponse))]
[JsonSerializable(typeof(PipelineRunsResponse))]
[JsonSerializable(typeof(CancelPipelineRunRequest))]
[JsonSerializable(typeof(PipelineLogResponse))]
[JsonSerializable(typeof(PipelineEventsResponse))]
[JsonSerializable(typeof(StepTypesResponse))]
public sealed partial class PipelineApiJson : JsonSerializerContext
{
}
