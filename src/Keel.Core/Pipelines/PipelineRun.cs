namespace Keel.Core.Pipelines;

/// <summary>One run of a pipeline. Times are Unix milliseconds.</summary>
/// <param name="Id">Increasing run id.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="PipelineVersion">The definition version it runs.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="Parameters">Its parameter values, defaults and trigger mappings applied.</param>
/// <param name="DedupeKey">Its dedupe key: while a run with the same key is queued or running, another is not created.</param>
/// <param name="MlflowRunId">The MLflow run that stands for it (its steps' runs are nested under it); null until it starts.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="StartedAt">When it started running.</param>
/// <param name="FinishedAt">When it reached a final state.</param>
/// <param name="Error">Why it failed or was cancelled.</param>
/// <param name="Version">Row version, raised by every change (optimistic concurrency).</param>
public sealed record PipelineRun(
    long Id,
    string Pipeline,
    int PipelineVersion,
    PipelineRunState State,
    PipelineTrigger Trigger,
    IReadOnlyDictionary<string, string> Parameters,
    string? DedupeKey,
    string? MlflowRunId,
    long CreatedAt,
    long? StartedAt,
    long? FinishedAt,
    string? Error,
    long Version);
