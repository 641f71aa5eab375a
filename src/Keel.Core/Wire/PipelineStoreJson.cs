using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>Source-generated JSON of the pipeline-store API (snake_case, nulls left out), shared by the server and the SDK.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(PutPipelineRequest))]
[JsonSerializable(typeof(PutPipelineResponse))]
[JsonSerializable(typeof(StorePipelineResponse))]
[JsonSerializable(typeof(StorePipelinesResponse))]
[JsonSerializable(typeof(CreatePipelineRunRequest))]
[JsonSerializable(typeof(CreatePipelineRunResponse))]
[JsonSerializable(typeof(StoreStartPipelineRunRequest))]
[JsonSerializable(typeof(FinishPipelineRunRequest))]
[JsonSerializable(typeof(StorePipelineRunResponse))]
[JsonSerializable(typeof(StorePipelineRunsResponse))]
[JsonSerializable(typeof(StepRunsResponse))]
[JsonSerializable(typeof(UpdateStepRequest))]
[JsonSerializable(typeof(StepRunResponse))]
[JsonSerializable(typeof(AppendStepLogRequest))]
[JsonSerializable(typeof(StepLogResponse))]
[JsonSerializable(typeof(StepCacheResponse))]
[JsonSerializable(typeof(StorePipelineEventsResponse))]
[JsonSerializable(typeof(TriggerStatesResponse))]
[JsonSerializable(typeof(SaveTriggerStateRequest))]
[JsonSerializable(typeof(PipelineStoreEmpty))]
public sealed partial class PipelineStoreJson : JsonSerializerContext
{
}
