namespace Keel.Core.Wire;

// Keel's pipeline-store API (/api/2.0/keel/pipelines/store): the pipeline store port over HTTP, so a
// `keel worker` or a replica that reaches the control plane only by HTTP runs steps exactly as one on
// the database does. Times are Unix milliseconds; parameters and outputs are maps of strings.

/// <summary>A pipeline's definition at one version.</summary>
public sealed class PipelineMessage
{
    /// <summary>The pipeline's name.</summary>
    public string? Name { get; set; }

    /// <summary>The definition's version, from 1.</summary>
    public int? Version { get; set; }

    /// <summary>The definition as applied (YAML or JSON text).</summary>
    public string? Source { get; set; }

    /// <summary>The normalised definition's content hash.</summary>
    public string? Hash { get; set; }

    /// <summary>When version 1 was applied, Unix milliseconds.</summary>
    public long? CreatedAt { get; set; }

    /// <summary>When this version was applied, Unix milliseconds.</summary>
    public long? UpdatedAt { get; set; }
}

/// <summary>Body of applying a definition.</summary>
public sealed class PutPipelineRequest
{
    /// <summary>The definition text, at most 1 MiB.</summary>
    public string? Source { get; set; }

    /// <summary>The normalised definition's content hash, 1-200 characters.</summary>
    public string? Hash { get; set; }

    /// <summary>When set, the latest version must be this (0: the pipeline must not exist).</summary>
    public int? ExpectedVersion { get; set; }
}

/// <summary>The pipeline as stored after an apply.</summary>
public sealed class PutPipelineResponse
{
    /// <summary>The pipeline at its latest version.</summary>
    public PipelineMessage? Pipeline { get; set; }

    /// <summary>True when a version was added.</summary>
    public bool Changed { get; set; }
}

/// <summary>A pipeline, or none.</summary>
public sealed class StorePipelineResponse
{
    /// <summary>The pipeline; absent when there is none.</summary>
    public PipelineMessage? Pipeline { get; set; }
}

/// <summary>Every pipeline at its latest version, by name.</summary>
public sealed class StorePipelinesResponse
{
    /// <summary>The pipelines.</summary>
    public List<PipelineMessage>? Pipelines { get; set; }
}

/// <summary>What started a run.</summary>
public sealed class PipelineTriggerMessage
{
    /// <summary>manual, schedule, dataset, alert or registry.</summary>
    public string? Kind { get; set; }

    /// <summary>The trigger's name in the definition; absent for a manual run.</summary>
    public string? Name { get; set; }

    /// <summary>The event that fired it: a JSON object, as text.</summary>
    public string? Detail { get; set; }

    /// <summary>Who asked, for a manual run.</summary>
    public string? Actor { get; set; }
}

/// <summary>The scheduler's lease a write is fenced by.</summary>
public sealed class LeaseFenceMessage
{
    /// <summary>The lease's name.</summary>
    public string? Name { get; set; }

    /// <summary>The holder that took it.</summary>
    public string? Holder { get; set; }

    /// <summary>The epoch it was taken at.</summary>
    public long? Epoch { get; set; }
}

/// <summary>One run of a pipeline; times are Unix milliseconds.</summary>
public sealed class PipelineRunMessage
{
    /// <summary>The run's id.</summary>
    public long? Id { get; set; }

    /// <summary>The pipeline's name.</summary>
    public string? Pipeline { get; set; }

    /// <summary>The definition version it runs.</summary>
    public int? PipelineVersion { get; set; }

    /// <summary>queued, running, succeeded, failed or cancelled.</summary>
    public string? State { get; set; }

    /// <summary>What started it.</summary>
    public PipelineTriggerMessage? Trigger { get; set; }

    /// <summary>Its parameter values.</summary>
    public Dictionary<string, string>? Parameters { get; set; }

    /// <summary>Its dedupe key.</summary>
    public string? DedupeKey { get; set; }

    /// <summary>The MLflow run that stands for it.</summary>
    public string? MlflowRunId { get; set; }

    /// <summary>When it was created.</summary>
    public long? CreatedAt { get; set; }

    /// <summary>When it started running.</summary>
    public long? StartedAt { get; set; }

    /// <summary>When it ended.</summary>
    public long? FinishedAt { get; set; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; set; }

    /// <summary>Row version, raised by every change.</summary>
    public long? Version { get; set; }
}

/// <summary>Body of creating a run (queued, with its steps queued).</summary>
public sealed class CreatePipelineRunRequest
{
    /// <summary>The pipeline's name.</summary>
    public string? Pipeline { get; set; }

    /// <summary>The definition version to run.</summary>
    public int? PipelineVersion { get; set; }

    /// <summary>What starts it.</summary>
    public PipelineTriggerMessage? Trigger { get; set; }

    /// <summary>Its parameter values (absent: none).</summary>
    public Dictionary<string, string>? Parameters { get; set; }

    /// <summary>The names of its steps, in definition order, distinct.</summary>
    public List<string>? Steps { get; set; }

    /// <summary>While a queued or running run of the pipeline has this key, that run is returned instead.</summary>
    public string? DedupeKey { get; set; }

    /// <summary>When a run was created with this key before, that run is returned instead.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>The scheduler's lease, when a trigger creates it.</summary>
    public LeaseFenceMessage? Fence { get; set; }
}

/// <summary>The run created, or the existing run a key matched.</summary>
public sealed class CreatePipelineRunResponse
{
    /// <summary>The run.</summary>
    public PipelineRunMessage? Run { get; set; }

    /// <summary>False when an existing run was returned.</summary>
    public bool Created { get; set; }
}

/// <summary>Body of starting a queued run under its pipeline's concurrency limit.</summary>
public sealed class StoreStartPipelineRunRequest
{
    /// <summary>The pipeline's concurrency limit, at least 1.</summary>
    public int? Limit { get; set; }

    /// <summary>The MLflow run that stands for it.</summary>
    public string? MlflowRunId { get; set; }
}

/// <summary>Body of ending a run.</summary>
public sealed class FinishPipelineRunRequest
{
    /// <summary>succeeded, failed or cancelled.</summary>
    public string? State { get; set; }

    /// <summary>Why, for a failure or a cancellation.</summary>
    public string? Error { get; set; }
}

/// <summary>A run, or none.</summary>
public sealed class StorePipelineRunResponse
{
    /// <summary>The run; absent when there is none.</summary>
    public PipelineRunMessage? Run { get; set; }
}

/// <summary>Runs, newest first.</summary>
public sealed class StorePipelineRunsResponse
{
    /// <summary>The runs.</summary>
    public List<PipelineRunMessage>? Runs { get; set; }
}

/// <summary>One step of a run; times are Unix milliseconds.</summary>
public sealed class StepRunMessage
{
    /// <summary>The pipeline run.</summary>
    public long? RunId { get; set; }

    /// <summary>The step's name.</summary>
    public string? Step { get; set; }

    /// <summary>queued, running, succeeded, failed, cancelled, skipped or cached.</summary>
    public string? State { get; set; }

    /// <summary>Tries started so far; the fence of its current try.</summary>
    public int? Attempt { get; set; }

    /// <summary>Its cache key, once computed.</summary>
    public string? CacheKey { get; set; }

    /// <summary>For a cache hit, the run whose outputs were reused.</summary>
    public long? CachedFrom { get; set; }

    /// <summary>Its outputs by name.</summary>
    public Dictionary<string, string>? Outputs { get; set; }

    /// <summary>The step's MLflow run.</summary>
    public string? MlflowRunId { get; set; }

    /// <summary>The queued job running it.</summary>
    public long? JobId { get; set; }

    /// <summary>When its current try started.</summary>
    public long? StartedAt { get; set; }

    /// <summary>When it reached a final state.</summary>
    public long? FinishedAt { get; set; }

    /// <summary>Why it failed, was skipped or cancelled.</summary>
    public string? Error { get; set; }

    /// <summary>Row version, raised by every change.</summary>
    public long? Version { get; set; }
}

/// <summary>A run's steps in definition order.</summary>
public sealed class StepRunsResponse
{
    /// <summary>The steps.</summary>
    public List<StepRunMessage>? Steps { get; set; }
}

/// <summary>Body of changing a step, applied only while it is still in from at expected_attempt; absent fields keep their value.</summary>
public sealed class UpdateStepRequest
{
    /// <summary>The state the step must be in.</summary>
    public string? From { get; set; }

    /// <summary>The attempt the step must be at.</summary>
    public int? ExpectedAttempt { get; set; }

    /// <summary>The new state.</summary>
    public string? To { get; set; }

    /// <summary>The new attempt number.</summary>
    public int? Attempt { get; set; }

    /// <summary>The step's cache key.</summary>
    public string? CacheKey { get; set; }

    /// <summary>For a cache hit, the run whose outputs are reused.</summary>
    public long? CachedFrom { get; set; }

    /// <summary>The step's outputs.</summary>
    public Dictionary<string, string>? Outputs { get; set; }

    /// <summary>The step's MLflow run.</summary>
    public string? MlflowRunId { get; set; }

    /// <summary>The job running it.</summary>
    public long? JobId { get; set; }

    /// <summary>Why it failed, was skipped or cancelled; or the last try's error before a retry.</summary>
    public string? Error { get; set; }
}

/// <summary>A step as it became.</summary>
public sealed class StepRunResponse
{
    /// <summary>The step.</summary>
    public StepRunMessage? Step { get; set; }
}

/// <summary>Body of appending lines to a step's log.</summary>
public sealed class AppendStepLogRequest
{
    /// <summary>The try writing them.</summary>
    public int? Attempt { get; set; }

    /// <summary>The lines, at most 10000.</summary>
    public List<string>? Lines { get; set; }
}

/// <summary>A line a step wrote.</summary>
public sealed class StepLogLineMessage
{
    /// <summary>Increasing position across all logs.</summary>
    public long? Seq { get; set; }

    /// <summary>The run.</summary>
    public long? RunId { get; set; }

    /// <summary>The step.</summary>
    public string? Step { get; set; }

    /// <summary>The try that wrote it.</summary>
    public int? Attempt { get; set; }

    /// <summary>When, Unix milliseconds.</summary>
    public long? At { get; set; }

    /// <summary>The text.</summary>
    public string? Line { get; set; }
}

/// <summary>Log lines in order.</summary>
public sealed class StepLogResponse
{
    /// <summary>The lines.</summary>
    public List<StepLogLineMessage>? Lines { get; set; }
}

/// <summary>A step's outputs kept under its cache key.</summary>
public sealed class StepCacheEntryMessage
{
    /// <summary>The cache key.</summary>
    public string? Key { get; set; }

    /// <summary>The pipeline that produced it.</summary>
    public string? Pipeline { get; set; }

    /// <summary>The step that produced it.</summary>
    public string? Step { get; set; }

    /// <summary>The run that produced it.</summary>
    public long? RunId { get; set; }

    /// <summary>The outputs to reuse.</summary>
    public Dictionary<string, string>? Outputs { get; set; }

    /// <summary>When it was stored, Unix milliseconds.</summary>
    public long? CreatedAt { get; set; }
}

/// <summary>A cache entry, or none.</summary>
public sealed class StepCacheResponse
{
    /// <summary>The entry; absent on a miss.</summary>
    public StepCacheEntryMessage? Entry { get; set; }
}

/// <summary>One entry of the feed of run and step changes.</summary>
public sealed class PipelineEventMessage
{
    /// <summary>Increasing position in the feed.</summary>
    public long? Seq { get; set; }

    /// <summary>The run.</summary>
    public long? RunId { get; set; }

    /// <summary>The run's pipeline.</summary>
    public string? Pipeline { get; set; }

    /// <summary>The step; absent for the run itself.</summary>
    public string? Step { get; set; }

    /// <summary>The state reached.</summary>
    public string? State { get; set; }

    /// <summary>Why, when there is something to say.</summary>
    public string? Message { get; set; }

    /// <summary>When, Unix milliseconds.</summary>
    public long? At { get; set; }
}

/// <summary>Feed entries, oldest first.</summary>
public sealed class StorePipelineEventsResponse
{
    /// <summary>The events.</summary>
    public List<PipelineEventMessage>? Events { get; set; }
}

/// <summary>What the scheduler remembers about one trigger.</summary>
public sealed class TriggerStateMessage
{
    /// <summary>The pipeline (answers; in a request it comes from the path).</summary>
    public string? Pipeline { get; set; }

    /// <summary>The trigger's name (answers; in a request it comes from the path).</summary>
    public string? Trigger { get; set; }

    /// <summary>Where it has read up to, as text.</summary>
    public string? Cursor { get; set; }

    /// <summary>When a debounced firing is due, Unix milliseconds.</summary>
    public long? PendingUntil { get; set; }

    /// <summary>The event the pending firing carries: a JSON object, as text.</summary>
    public string? PendingDetail { get; set; }

    /// <summary>How many runs it has started.</summary>
    public long? Fired { get; set; }

    /// <summary>When it last changed, Unix milliseconds.</summary>
    public long? UpdatedAt { get; set; }
}

/// <summary>The scheduler's state of a pipeline's triggers, by trigger name.</summary>
public sealed class TriggerStatesResponse
{
    /// <summary>The states.</summary>
    public List<TriggerStateMessage>? Triggers { get; set; }
}

/// <summary>Body of saving a trigger's state.</summary>
public sealed class SaveTriggerStateRequest
{
    /// <summary>The state.</summary>
    public TriggerStateMessage? State { get; set; }

    /// <summary>The scheduler's lease; absent when not fenced.</summary>
    public LeaseFenceMessage? Fence { get; set; }
}

/// <summary>An answer with nothing in it.</summary>
public sealed class PipelineStoreEmpty
{
}
