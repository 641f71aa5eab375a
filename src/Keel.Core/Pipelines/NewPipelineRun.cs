namespace Keel.Core.Pipelines;

/// <summary>A run to create, validated above the port (the steps are the definition's, in order).</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="PipelineVersion">The definition version to run.</param>
/// <param name="Trigger">What starts it.</param>
/// <param name="Parameters">Its parameter values.</param>
/// <param name="Steps">The names of its steps; each starts queued.</param>
/// <param name="DedupeKey">While a queued or running run of the pipeline has this key, no new run is created and that run is returned.</param>
/// <param name="IdempotencyKey">When a run was already created with this key (e.g. the event that triggers it), that run is returned.</param>
public sealed record NewPipelineRun(
    string Pipeline,
    int PipelineVersion,
    PipelineTrigger Trigger,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<string> Steps,
    string? DedupeKey = null,
    string? IdempotencyKey = null);
