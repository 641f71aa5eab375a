namespace Keel.Core.Pipelines;

/// <summary>The outcome of creating a run.</summary>
/// <param name="Run">The run created, or the existing run that the dedupe or idempotency key matched.</param>
/// <param name="Created">False when an existing run was returned instead.</param>
public sealed record CreatedPipelineRun(PipelineRun Run, bool Created);
