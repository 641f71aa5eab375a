namespace Keel.Core.Pipelines;

/// <summary>
/// A change to a step run, applied only when the step is still in <paramref name="From"/> at
/// <paramref name="ExpectedAttempt"/> (the fence of a try: a worker whose try was taken over cannot
/// record its outcome). Fields left null keep their value.
/// </summary>
/// <param name="RunId">The pipeline run.</param>
/// <param name="Step">The step.</param>
/// <param name="From">The state the step must be in.</param>
/// <param name="ExpectedAttempt">The attempt the step must be at.</param>
/// <param name="To">The new state (allowed by <see cref="PipelineTransitions"/>).</param>
/// <param name="Attempt">The new attempt number (a new try raises it).</param>
/// <param name="CacheKey">The step's cache key.</param>
/// <param name="CachedFrom">For a cache hit, the run whose outputs are reused.</param>
/// <param name="Outputs">The step's outputs.</param>
/// <param name="MlflowRunId">The step's MLflow run.</param>
/// <param name="JobId">The job running it.</param>
/// <param name="Error">Why it failed, was skipped or cancelled; or the last try's error before a retry.</param>
public sealed record StepUpdate(
    long RunId,
    string Step,
    StepRunState From,
    int ExpectedAttempt,
    StepRunState To,
    int? Attempt = null,
    string? CacheKey = null,
    long? CachedFrom = null,
    IReadOnlyDictionary<string, string>? Outputs = null,
    string? MlflowRunId = null,
    long? JobId = null,
    string? Error = null);
