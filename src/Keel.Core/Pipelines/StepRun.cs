namespace Keel.Core.Pipelines;

/// <summary>One step of a pipeline run. Times are Unix milliseconds.</summary>
/// <param name="RunId">The pipeline run.</param>
/// <param name="Step">The step's name in the definition.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="Attempt">Tries started so far (0 until it first runs); also the fence of its current try.</param>
/// <param name="CacheKey">The content hash its cache entry is keyed by, once computed.</param>
/// <param name="CachedFrom">For a cache hit, the run whose outputs were reused.</param>
/// <param name="Outputs">Its outputs by name (URIs or values), once it succeeded or was cached.</param>
/// <param name="MlflowRunId">The MLflow run that stands for the step (nested under the pipeline run's).</param>
/// <param name="JobId">The queued job running it, when it runs on the job queue.</param>
/// <param name="StartedAt">When its current try started.</param>
/// <param name="FinishedAt">When it reached a final state.</param>
/// <param name="Error">Why it failed, was skipped or was cancelled.</param>
/// <param name="Version">Row version, raised by every change (optimistic concurrency).</param>
public sealed record StepRun(
    long RunId,
    string Step,
    StepRunState State,
    int Attempt,
    string? CacheKey,
    long? CachedFrom,
    IReadOnlyDictionary<string, string> Outputs,
    string? MlflowRunId,
    long? JobId,
    long? StartedAt,
    long? FinishedAt,
    string? Error,
    long Version);
