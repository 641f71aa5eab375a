using Keel.Core.Coordination;

namespace Keel.Core.Pipelines;

/// <summary>
/// Pipelines, their runs and steps, step logs, the step cache and the scheduler's trigger state.
/// Every state change checks the transition table and the row's current state in the same
/// transaction (a conflict is RESOURCE_CONFLICT naming the current state) and appends to the event
/// feed in that transaction. Implementations may assume validated input (names, definitions and
/// parameters are checked above the port).
/// </summary>
public interface IPipelineStore
{
    /// <summary>
    /// Applies a definition: creates the pipeline at version 1, adds a version when the hash differs
    /// from the latest, or changes nothing when it is the same.
    /// </summary>
    /// <param name="name">The pipeline's name.</param>
    /// <param name="source">The definition text.</param>
    /// <param name="hash">The normalised definition's content hash.</param>
    /// <param name="expectedVersion">When set, the latest version must be this (0: the pipeline must not exist); otherwise RESOURCE_CONFLICT.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pipeline as stored, and whether a version was added.</returns>
    Task<(Pipeline Pipeline, bool Changed)> PutPipelineAsync(string name, string source, string hash, int? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>The pipeline at its latest version (or at <paramref name="version"/>), or null when there is none.</summary>
    /// <param name="name">The pipeline's name.</param>
    /// <param name="version">A version; null for the latest.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Pipeline?> GetPipelineAsync(string name, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Every pipeline at its latest version, by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Pipeline>> ListPipelinesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a run (queued) with its steps (queued), unless <see cref="NewPipelineRun.IdempotencyKey"/>
    /// was used before or a queued or running run of the pipeline has the same
    /// <see cref="NewPipelineRun.DedupeKey"/>: then that run is returned and nothing is added.
    /// </summary>
    /// <param name="run">The run to create.</param>
    /// <param name="fence">The scheduler's lease when a trigger creates it; a stale fence is RESOURCE_CONFLICT.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CreatedPipelineRun> CreateRunAsync(NewPipelineRun run, LeaseFence? fence = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a queued run to running when fewer than <paramref name="limit"/> runs of its pipeline are
    /// running; otherwise leaves it queued. Returns the run as it is after the call.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="limit">The pipeline's concurrency limit (at least 1).</param>
    /// <param name="mlflowRunId">The MLflow run that stands for it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run.</exception>
    Task<PipelineRun> TryStartRunAsync(long runId, int limit, string? mlflowRunId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a run: to succeeded, failed or cancelled from its current state. Steps not yet final are
    /// ended with it (queued ones skipped when it failed; queued and running ones cancelled when it
    /// was cancelled), so no worker starts them afterwards.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="to">The final state.</param>
    /// <param name="error">Why, for a failure or a cancellation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; RESOURCE_CONFLICT when the table forbids the move (e.g. it already ended).</exception>
    Task<PipelineRun> FinishRunAsync(long runId, PipelineRunState to, string? error, CancellationToken cancellationToken = default);

    /// <summary>The run, or null when there is none of that id.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PipelineRun?> GetRunAsync(long runId, CancellationToken cancellationToken = default);

    /// <summary>Runs newest first.</summary>
    /// <param name="query">Which runs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PipelineRun>> ListRunsAsync(PipelineRunQuery query, CancellationToken cancellationToken = default);

    /// <summary>The run's steps in definition order.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<StepRun>> GetStepsAsync(long runId, CancellationToken cancellationToken = default);

    /// <summary>Applies a change to a step if it is still in the expected state and attempt.</summary>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The step as it became.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run or step; RESOURCE_CONFLICT when the step moved on (another try took it, the run ended) or the table forbids the move.</exception>
    Task<StepRun> UpdateStepAsync(StepUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Appends lines to a step's log.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="step">The step.</param>
    /// <param name="attempt">The try writing them.</param>
    /// <param name="lines">The lines.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task AppendLogAsync(long runId, string step, int attempt, IReadOnlyList<string> lines, CancellationToken cancellationToken = default);

    /// <summary>A run's log lines in order, optionally of one step, after a position.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="step">One step; null for all.</param>
    /// <param name="afterSeq">Only lines after this position (paging, following); 0 from the start.</param>
    /// <param name="maxResults">The most lines to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<StepLogLine>> ListLogAsync(long runId, string? step, long afterSeq, int maxResults, CancellationToken cancellationToken = default);

    /// <summary>The cache entry of a key, or null on a miss.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<StepCacheEntry?> FindCacheAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a cache entry; when the key is already stored the first entry stays and is returned.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<StepCacheEntry> PutCacheAsync(StepCacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The feed of run and step changes after a position, oldest first.</summary>
    /// <param name="afterSeq">Only events after this position; 0 from the start.</param>
    /// <param name="runId">Only this run's events; null for all.</param>
    /// <param name="maxResults">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PipelineEvent>> ListEventsAsync(long afterSeq, long? runId, int maxResults, CancellationToken cancellationToken = default);

    /// <summary>The scheduler's state of every trigger of a pipeline.</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<TriggerState>> GetTriggerStatesAsync(string pipeline, CancellationToken cancellationToken = default);

    /// <summary>Saves a trigger's state (insert or replace), if <paramref name="fence"/> is still current.</summary>
    /// <param name="state">The state.</param>
    /// <param name="fence">The scheduler's lease; null when not fenced (tests, a single process).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_CONFLICT when the fence is stale (the state is not saved).</exception>
    Task SaveTriggerStateAsync(TriggerState state, LeaseFence? fence, CancellationToken cancellationToken = default);
}
