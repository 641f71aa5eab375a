namespace Keel.Core.Wire;

// Keel's pipelines API (/api/2.0/keel/pipelines): definitions, runs, steps, logs, plans, the event feed.

/// <summary>Body of applying a definition (POST /pipelines).</summary>
public sealed class ApplyPipelineRequest
{
    /// <summary>The definition as YAML or JSON text.</summary>
    public string? Definition { get; set; }

    /// <summary>The version it was made from (0: the pipeline must be new); absent: apply over whatever is stored.</summary>
    public int? ExpectedVersion { get; set; }
}

/// <summary>The outcome of an apply.</summary>
public sealed class ApplyPipelineResponse
{
    /// <summary>The pipeline as stored.</summary>
    public PipelineInfo? Pipeline { get; set; }

    /// <summary>True when a version was added; false when the definition was the same as the latest.</summary>
    public bool Changed { get; set; }
}

/// <summary>A pipeline at one version.</summary>
public sealed class PipelineInfo
{
    /// <summary>Its name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The version shown.</summary>
    public int Version { get; set; }

    /// <summary>Content hash of the normalised definition.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>What it is for.</summary>
    public string? Description { get; set; }

    /// <summary>Run parameters and their defaults (null: required).</summary>
    public Dictionary<string, string?> Params { get; set; } = [];

    /// <summary>Runs at a time.</summary>
    public int Concurrency { get; set; }

    /// <summary>The dedupe key template.</summary>
    public string? DedupeKey { get; set; }

    /// <summary>Its steps in dependency order.</summary>
    public List<PipelineStepInfo> Steps { get; set; } = [];

    /// <summary>Its triggers.</summary>
    public List<PipelineTriggerInfo> Triggers { get; set; } = [];

    /// <summary>The definition as applied.</summary>
    public string? Definition { get; set; }

    /// <summary>When version 1 was applied (Unix ms).</summary>
    public long CreatedAt { get; set; }

    /// <summary>When this version was applied (Unix ms).</summary>
    public long UpdatedAt { get; set; }
}

/// <summary>A step of a pipeline definition.</summary>
public sealed class PipelineStepInfo
{
    /// <summary>Its name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Its type.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>The steps it waits for.</summary>
    public List<string> Upstream { get; set; } = [];

    /// <summary>Extra tries after a failure.</summary>
    public int Retries { get; set; }

    /// <summary>Its timeout in seconds, if set.</summary>
    public int? TimeoutSeconds { get; set; }
}

/// <summary>A trigger of a pipeline definition.</summary>
public sealed class PipelineTriggerInfo
{
    /// <summary>Its name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>schedule, dataset, alert or registry.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>What fires it, in words.</summary>
    public string Summary { get; set; } = string.Empty;
}

/// <summary>Body of starting a run (POST /pipelines/{name}/runs).</summary>
public sealed class StartPipelineRunRequest
{
    /// <summary>Parameter values; the rest take their defaults.</summary>
    public Dictionary<string, string>? Params { get; set; }

    /// <summary>A retried request with the same key starts one run.</summary>
    public string? IdempotencyKey { get; set; }
}

/// <summary>The outcome of starting a run.</summary>
public sealed class StartPipelineRunResponse
{
    /// <summary>The run started, or the one the dedupe or idempotency key matched.</summary>
    public PipelineRunInfo? Run { get; set; }

    /// <summary>False when an existing run was returned.</summary>
    public bool Created { get; set; }
}

/// <summary>Body of a plan (POST /pipelines/{name}/plan).</summary>
public sealed class PlanPipelineRequest
{
    /// <summary>Parameter values; the rest take their defaults.</summary>
    public Dictionary<string, string>? Params { get; set; }
}

/// <summary>A plan.</summary>
public sealed class PlanPipelineResponse
{
    /// <summary>What a run would do with each step, in dependency order.</summary>
    public List<PlannedStepInfo> Steps { get; set; } = [];
}

/// <summary>What a run would do with one step.</summary>
public sealed class PlannedStepInfo
{
    /// <summary>The step.</summary>
    public string Step { get; set; } = string.Empty;

    /// <summary>Its type.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>run or cached.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>Why.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>Its cache key, when known before running.</summary>
    public string? CacheKey { get; set; }

    /// <summary>For a hit, the run whose outputs would be reused.</summary>
    public long? CachedFrom { get; set; }

    /// <summary>What changed since the step's last successful run.</summary>
    public List<string> Changes { get; set; } = [];
}

/// <summary>A pipeline run.</summary>
public sealed class PipelineRunInfo
{
    /// <summary>The run's id.</summary>
    public long RunId { get; set; }

    /// <summary>The pipeline.</summary>
    public string Pipeline { get; set; } = string.Empty;

    /// <summary>The definition version it runs.</summary>
    public int PipelineVersion { get; set; }

    /// <summary>queued, running, succeeded, failed or cancelled.</summary>
    public string State { get; set; } = string.Empty;

    /// <summary>manual, schedule, dataset, alert or registry.</summary>
    public string TriggerKind { get; set; } = string.Empty;

    /// <summary>The trigger's name.</summary>
    public string? TriggerName { get; set; }

    /// <summary>The event that fired it, as JSON text.</summary>
    public string? TriggerDetail { get; set; }

    /// <summary>Who started it by hand.</summary>
    public string? Actor { get; set; }

    /// <summary>Its parameter values.</summary>
    public Dictionary<string, string> Params { get; set; } = [];

    /// <summary>Its dedupe key.</summary>
    public string? DedupeKey { get; set; }

    /// <summary>The MLflow run standing for it.</summary>
    public string? MlflowRunId { get; set; }

    /// <summary>When it was created (Unix ms).</summary>
    public long CreatedAt { get; set; }

    /// <summary>When it started.</summary>
    public long? StartedAt { get; set; }

    /// <summary>When it ended.</summary>
    public long? FinishedAt { get; set; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; set; }
}

/// <summary>A step of a run.</summary>
public sealed class StepRunInfo
{
    /// <summary>The step.</summary>
    public string Step { get; set; } = string.Empty;

    /// <summary>Its type.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>queued, running, succeeded, failed, cancelled, skipped or cached.</summary>
    public string State { get; set; } = string.Empty;

    /// <summary>Tries started.</summary>
    public int Attempt { get; set; }

    /// <summary>Its cache key.</summary>
    public string? CacheKey { get; set; }

    /// <summary>For a cache hit, the run whose outputs it reused.</summary>
    public long? CachedFrom { get; set; }

    /// <summary>Its outputs.</summary>
    public Dictionary<string, string> Outputs { get; set; } = [];

    /// <summary>The MLflow run standing for it.</summary>
    public string? MlflowRunId { get; set; }

    /// <summary>The job running it.</summary>
    public long? JobId { get; set; }

    /// <summary>When its current try started.</summary>
    public long? StartedAt { get; set; }

    /// <summary>When it ended.</summary>
    public long? FinishedAt { get; set; }

    /// <summary>Why it failed, was skipped or cancelled.</summary>
    public string? Error { get; set; }

    /// <summary>The steps it waits for.</summary>
    public List<string> Upstream { get; set; } = [];
}

/// <summary>A run with its steps.</summary>
public sealed class PipelineRunResponse
{
    /// <summary>The run.</summary>
    public PipelineRunInfo? Run { get; set; }

    /// <summary>Its steps in dependency order.</summary>
    public List<StepRunInfo> Steps { get; set; } = [];
}

/// <summary>Runs, newest first.</summary>
public sealed class PipelineRunsResponse
{
    /// <summary>The runs.</summary>
    public List<PipelineRunInfo> Runs { get; set; } = [];
}

/// <summary>Pipelines by name.</summary>
public sealed class PipelinesResponse
{
    /// <summary>The pipelines at their latest versions.</summary>
    public List<PipelineInfo> Pipelines { get; set; } = [];
}

/// <summary>One pipeline.</summary>
public sealed class PipelineResponse
{
    /// <summary>The pipeline.</summary>
    public PipelineInfo? Pipeline { get; set; }
}

/// <summary>Body of cancelling a run.</summary>
public sealed class CancelPipelineRunRequest
{
    /// <summary>Why, kept on the run.</summary>
    public string? Reason { get; set; }
}

/// <summary>A line of a step's log.</summary>
public sealed class StepLogLineInfo
{
    /// <summary>Its position.</summary>
    public long Seq { get; set; }

    /// <summary>The step.</summary>
    public string Step { get; set; } = string.Empty;

    /// <summary>The try that wrote it.</summary>
    public int Attempt { get; set; }

    /// <summary>When (Unix ms).</summary>
    public long Time { get; set; }

    /// <summary>The text.</summary>
    public string Line { get; set; } = string.Empty;
}

/// <summary>Log lines of a run.</summary>
public sealed class PipelineLogResponse
{
    /// <summary>The lines in order.</summary>
    public List<StepLogLineInfo> Lines { get; set; } = [];

    /// <summary>Pass as <c>after</c> to read on.</summary>
    public long NextAfter { get; set; }
}

/// <summary>An entry of the pipeline event feed.</summary>
public sealed class PipelineEventInfo
{
    /// <summary>Its position.</summary>
    public long Seq { get; set; }

    /// <summary>The run.</summary>
    public long RunId { get; set; }

    /// <summary>The pipeline.</summary>
    public string Pipeline { get; set; } = string.Empty;

    /// <summary>The step, or absent for the run.</summary>
    public string? Step { get; set; }

    /// <summary>The state reached.</summary>
    public string State { get; set; } = string.Empty;

    /// <summary>Why.</summary>
    public string? Message { get; set; }

    /// <summary>When (Unix ms).</summary>
    public long Time { get; set; }
}

/// <summary>The event feed.</summary>
public sealed class PipelineEventsResponse
{
    /// <summary>Events oldest first.</summary>
    public List<PipelineEventInfo> Events { get; set; } = [];

    /// <summary>Pass as <c>after</c> to read on.</summary>
    public long NextAfter { get; set; }
}

/// <summary>A step type.</summary>
public sealed class StepTypeInfo
{
    /// <summary>Its name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Its version (part of cache keys).</summary>
    public int Version { get; set; }

    /// <summary>What it does.</summary>
    public string Summary { get; set; } = string.Empty;

    /// <summary>False when it always runs.</summary>
    public bool Cacheable { get; set; }
}

/// <summary>The step types a server knows.</summary>
public sealed class StepTypesResponse
{
    /// <summary>The types by name.</summary>
    public List<StepTypeInfo> StepTypes { get; set; } = [];
}
