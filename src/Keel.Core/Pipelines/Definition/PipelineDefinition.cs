namespace Keel.Core.Pipelines.Definition;

/// <summary>A pipeline: a DAG of steps, its parameters, triggers and concurrency rules.</summary>
/// <param name="Name">The pipeline's name.</param>
/// <param name="Description">What it is for.</param>
/// <param name="Parameters">Run parameters with their defaults; a null default makes the parameter required.</param>
/// <param name="Steps">The steps, in the order written.</param>
/// <param name="Triggers">What starts it besides a manual run.</param>
/// <param name="Concurrency">At most this many runs at a time (others wait queued).</param>
/// <param name="DedupeKey">A template (e.g. <c>retrain-${params.model}</c>): while a run with the same key is queued or running, a trigger or request for another returns that run.</param>
public sealed record PipelineDefinition(
    string Name,
    string? Description,
    IReadOnlyDictionary<string, string?> Parameters,
    IReadOnlyList<StepDefinition> Steps,
    IReadOnlyList<TriggerDefinition> Triggers,
    int Concurrency = 1,
    string? DedupeKey = null);
