namespace Keel.Core.Wire;

/// <summary>
/// The pipelines API as the CLI and SDK use it: implemented over HTTP by <c>KeelClient</c> and in
/// process by <c>PipelineService</c>, so a command behaves the same against a server or the embedded store.
/// </summary>
public interface IPipelineApi
{
    /// <summary>Applies a definition (YAML or JSON); an invalid one is refused whole, naming the step.</summary>
    /// <param name="definition">The definition text.</param>
    /// <param name="expectedVersion">The version it was made from (0: new); null to apply over whatever is stored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ApplyPipelineResponse> ApplyPipelineAsync(string definition, int? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Every pipeline at its latest version.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PipelineInfo>> ListPipelinesAsync(CancellationToken cancellationToken = default);

    /// <summary>A pipeline at its latest version or at <paramref name="version"/>.</summary>
    /// <param name="name">The pipeline.</param>
    /// <param name="version">A version; null for the latest.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PipelineInfo> GetPipelineAsync(string name, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a run; returns at once (the run goes on in the server or on workers).</summary>
    /// <param name="name">The pipeline.</param>
    /// <param name="parameters">Parameter values.</param>
    /// <param name="idempotencyKey">A retried request with the same key starts one run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<StartPipelineRunResponse> StartPipelineRunAsync(string name, IReadOnlyDictionary<string, string>? parameters = null, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Which steps a run would run or take from the cache, and why.</summary>
    /// <param name="name">The pipeline.</param>
    /// <param name="parameters">Parameter values.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PlannedStepInfo>> PlanPipelineAsync(string name, IReadOnlyDictionary<string, string>? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Runs newest first.</summary>
    /// <param name="pipeline">Only this pipeline's.</param>
    /// <param name="state">Only runs in this state.</param>
    /// <param name="beforeId">Only runs older than this (paging).</param>
    /// <param name="maxResults">The most runs (default 100).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PipelineRunInfo>> ListPipelineRunsAsync(string? pipeline = null, string? state = null, long? beforeId = null, int? maxResults = null, CancellationToken cancellationToken = default);

    /// <summary>A run with its steps.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PipelineRunResponse> GetPipelineRunAsync(long runId, CancellationToken cancellationToken = default);

    /// <summary>A run's log lines after a position.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="step">One step's; null for all.</param>
    /// <param name="after">The last position seen.</param>
    /// <param name="maxResults">The most lines (default 1000).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PipelineLogResponse> GetPipelineLogAsync(long runId, string? step = null, long after = 0, int? maxResults = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued or running run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PipelineRunInfo> CancelPipelineRunAsync(long runId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>The event feed after a position.</summary>
    /// <param name="after">The last position seen.</param>
    /// <param name="runId">Only this run's.</param>
    /// <param name="maxResults">The most events (default 100).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PipelineEventsResponse> GetPipelineEventsAsync(long after = 0, long? runId = null, int? maxResults = null, CancellationToken cancellationToken = default);

    /// <summary>The step types known.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<StepTypeInfo>> ListStepTypesAsync(CancellationToken cancellationToken = default);
}
