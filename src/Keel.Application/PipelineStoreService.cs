using Keel.Application.Validation;
using Keel.Core.Pipelines;
using Keel.Core.Wire;
using R = Keel.Application.Validation.PipelineStoreRules;

namespace Keel.Application;

/// <summary>
/// The pipeline store as a service over HTTP (the pipeline-store API): what a <c>keel worker</c> or
/// a replica that reaches the control plane only by HTTP does with the store. Every argument is
/// checked here (<see cref="PipelineStoreRules"/>) before the store sees it, so bad input changes
/// nothing.
/// </summary>
public sealed class PipelineStoreService
{
    private readonly IPipelineStore _store;

    /// <param name="store">The pipeline store.</param>
    public PipelineStoreService(IPipelineStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    public Task<(Pipeline Pipeline, bool Changed)> PutPipelineAsync(string? name, PutPipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pipeline = R.Name(name, "name");
        var source = R.Source(request.Source);
        var hash = R.Key(request.Hash, "hash");
        int? expected = request.ExpectedVersion is null ? null : R.Between(request.ExpectedVersion, "expected_version", 0, int.MaxValue);
        return _store.PutPipelineAsync(pipeline, source, hash, expected, cancellationToken);
    }

    public Task<Pipeline?> GetPipelineAsync(string? name, long? version, CancellationToken cancellationToken)
    {
        var pipeline = R.Name(name, "name");
        int? v = version is null ? null : R.Between(version, "version", 1, int.MaxValue);
        return _store.GetPipelineAsync(pipeline, v, cancellationToken);
    }

    public Task<IReadOnlyList<Pipeline>> ListPipelinesAsync(CancellationToken cancellationToken) => _store.ListPipelinesAsync(cancellationToken);

    public Task<CreatedPipelineRun> CreateRunAsync(CreatePipelineRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new NewPipelineRun(
            R.Name(request.Pipeline, "pipeline"),
            R.Between(request.PipelineVersion, "pipeline_version", 1, int.MaxValue),
            R.Trigger(request.Trigger, "trigger"),
            R.Map(request.Parameters, "parameters"),
            R.Steps(request.Steps, "steps"),
            R.OptionalKey(request.DedupeKey, "dedupe_key"),
            R.OptionalKey(request.IdempotencyKey, "idempotency_key"));
        return _store.CreateRunAsync(run, R.Fence(request.Fence, "fence"), cancellationToken);
    }

    public Task<PipelineRun> TryStartRunAsync(string? runId, StoreStartPipelineRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = R.Id(runId, "run_id");
        var limit = R.Between(request.Limit, "limit", 1, R.MaxLimit);
        return _store.TryStartRunAsync(id, limit, R.OptionalKey(request.MlflowRunId, "mlflow_run_id"), cancellationToken);
    }

    public Task<PipelineRun> FinishRunAsync(string? runId, FinishPipelineRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = R.Id(runId, "run_id");
        var state = R.RunState(request.State, "state");
        if (!PipelineTransitions.IsFinal(state))
        {
            throw Core.Errors.KeelException.InvalidParameter($"Invalid state '{request.State}': a run ends as succeeded, failed or cancelled.");
        }

        return _store.FinishRunAsync(id, state, R.Text(request.Error, "error"), cancellationToken);
    }

    public Task<PipelineRun?> GetRunAsync(string? runId, CancellationToken cancellationToken) =>
        _store.GetRunAsync(R.Id(runId, "run_id"), cancellationToken);

    public Task<IReadOnlyList<PipelineRun>> ListRunsAsync(string? pipeline, IReadOnlyList<string>? states, long? beforeId, long? maxResults, CancellationToken cancellationToken)
    {
        var query = new PipelineRunQuery(
            pipeline is null ? null : R.Name(pipeline, "pipeline"),
            states is null ? null : [.. states.SelectMany(s => s.Split(',')).Select(s => R.RunState(s, "states"))],
            R.OptionalId(beforeId, "before_id"),
            R.MaxResultsOrDefault(maxResults));
        return _store.ListRunsAsync(query, cancellationToken);
    }

    public Task<IReadOnlyList<StepRun>> GetStepsAsync(string? runId, CancellationToken cancellationToken) =>
        _store.GetStepsAsync(R.Id(runId, "run_id"), cancellationToken);

    public Task<StepRun> UpdateStepAsync(string? runId, string? step, UpdateStepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var update = new StepUpdate(
            R.Id(runId, "run_id"),
            R.Name(step, "step"),
            R.StepState(request.From, "from"),
            R.Between(request.ExpectedAttempt, "expected_attempt", 0, R.MaxAttempt),
            R.StepState(request.To, "to"),
            request.Attempt is null ? null : R.Between(request.Attempt, "attempt", 0, R.MaxAttempt),
            R.OptionalKey(request.CacheKey, "cache_key"),
            R.OptionalId(request.CachedFrom, "cached_from"),
            request.Outputs is null ? null : R.Map(request.Outputs, "outputs"),
            R.OptionalKey(request.MlflowRunId, "mlflow_run_id"),
            R.OptionalId(request.JobId, "job_id"),
            R.Text(request.Error, "error"));
        return _store.UpdateStepAsync(update, cancellationToken);
    }

    public Task AppendLogAsync(string? runId, string? step, AppendStepLogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = R.Id(runId, "run_id");
        var name = R.Name(step, "step");
        var attempt = R.Between(request.Attempt, "attempt", 0, R.MaxAttempt);
        return _store.AppendLogAsync(id, name, attempt, R.Lines(request.Lines, "lines"), cancellationToken);
    }

    public Task<IReadOnlyList<StepLogLine>> ListLogAsync(string? runId, string? step, long? afterSeq, long? maxResults, CancellationToken cancellationToken)
    {
        var id = R.Id(runId, "run_id");
        var name = step is null ? null : R.Name(step, "step");
        var after = afterSeq is null ? 0 : R.NonNegative(afterSeq, "after_seq");
        return _store.ListLogAsync(id, name, after, R.MaxResultsOrDefault(maxResults), cancellationToken);
    }

    public Task<StepCacheEntry?> FindCacheAsync(string? key, CancellationToken cancellationToken) =>
        _store.FindCacheAsync(R.Key(key, "key"), cancellationToken);

    public Task<StepCacheEntry> PutCacheAsync(StepCacheEntryMessage? entry, CancellationToken cancellationToken)
    {
        if (entry is null)
        {
            throw Core.Errors.KeelException.MissingParameter("entry");
        }

        var checkedEntry = new StepCacheEntry(
            R.Key(entry.Key, "entry.key"), R.Name(entry.Pipeline, "entry.pipeline"), R.Name(entry.Step, "entry.step"), R.Id(entry.RunId, "entry.run_id"),
            R.Map(entry.Outputs, "entry.outputs"), R.NonNegative(entry.CreatedAt, "entry.created_at"));
        return _store.PutCacheAsync(checkedEntry, cancellationToken);
    }

    public Task<IReadOnlyList<PipelineEvent>> ListEventsAsync(long? afterSeq, long? runId, long? maxResults, CancellationToken cancellationToken)
    {
        var after = afterSeq is null ? 0 : R.NonNegative(afterSeq, "after_seq");
        return _store.ListEventsAsync(after, R.OptionalId(runId, "run_id"), R.MaxResultsOrDefault(maxResults), cancellationToken);
    }

    public Task<IReadOnlyList<TriggerState>> GetTriggerStatesAsync(string? pipeline, CancellationToken cancellationToken) =>
        _store.GetTriggerStatesAsync(R.Name(pipeline, "name"), cancellationToken);

    public Task SaveTriggerStateAsync(string? pipeline, string? trigger, SaveTriggerStateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = R.Name(pipeline, "name");
        var triggerName = R.Name(trigger, "trigger");
        var s = request.State ?? throw Core.Errors.KeelException.MissingParameter("state");
        R.SamePath(s.Pipeline, name, "state.pipeline");
        R.SamePath(s.Trigger, triggerName, "state.trigger");
        var state = new TriggerState(
            name, triggerName, R.Text(s.Cursor, "state.cursor", R.MaxKey), s.PendingUntil is null ? null : R.NonNegative(s.PendingUntil, "state.pending_until"),
            R.JsonObject(s.PendingDetail, "state.pending_detail"), R.NonNegative(s.Fired, "state.fired"), R.NonNegative(s.UpdatedAt, "state.updated_at"));
        return _store.SaveTriggerStateAsync(state, R.Fence(request.Fence, "fence"), cancellationToken);
    }
}
