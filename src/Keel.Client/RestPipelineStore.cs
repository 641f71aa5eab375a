using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Keel.Client.Internal;
using Keel.Core.Coordination;
using Keel.Core.Pipelines;
using Keel.Core.Wire;
using W = Keel.Core.Wire.PipelineStoreWire;

namespace Keel.Client;

/// <summary>
/// The pipeline store over a Keel server's pipeline-store API (<c>/api/2.0/keel/pipelines/store</c>):
/// the same <see cref="IPipelineStore"/> the embedded backends implement, so a <c>keel worker</c> or
/// replica pointed at a server runs steps exactly as one on the database does. The server's errors
/// come back as <see cref="Core.Errors.KeelException"/> with the same code. Reads and calls that are
/// safe to repeat (applies, starts, cache entries, trigger state, creates with an idempotency key)
/// are retried on transient failures; the rest are not, since a repeated step change or log append
/// would conflict or write its lines twice.
/// </summary>
public sealed class RestPipelineStore : IPipelineStore
{
    private const string Api = "/api/2.0/keel/pipelines/store";
    private readonly RestTransport _transport;

    internal RestPipelineStore(RestTransport transport) => _transport = transport;

    /// <inheritdoc/>
    public async Task<(Pipeline Pipeline, bool Changed)> PutPipelineAsync(string name, string source, string hash, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        var request = new PutPipelineRequest { Source = source, Hash = hash, ExpectedVersion = expectedVersion };
        var r = await SendAsync(HttpMethod.Put, PipelinePath(name), request, PipelineStoreJson.Default.PutPipelineRequest, PipelineStoreJson.Default.PutPipelineResponse, retry: expectedVersion is null, cancellationToken).ConfigureAwait(false);
        return (W.FromMessage(r.Pipeline ?? throw Malformed("pipeline")), r.Changed);
    }

    /// <inheritdoc/>
    public async Task<Pipeline?> GetPipelineAsync(string name, int? version = null, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(PipelinePath(name), [new("version", Text(version))], PipelineStoreJson.Default.StorePipelineResponse, cancellationToken).ConfigureAwait(false);
        return r.Pipeline is null ? null : W.FromMessage(r.Pipeline);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Pipeline>> ListPipelinesAsync(CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(Api + "/pipelines", [], PipelineStoreJson.Default.StorePipelinesResponse, cancellationToken).ConfigureAwait(false);
        return [.. (r.Pipelines ?? []).Select(W.FromMessage)];
    }

    /// <inheritdoc/>
    public async Task<CreatedPipelineRun> CreateRunAsync(NewPipelineRun run, LeaseFence? fence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = new CreatePipelineRunRequest
        {
            Pipeline = run.Pipeline, PipelineVersion = run.PipelineVersion, Trigger = W.ToMessage(run.Trigger), Parameters = new(run.Parameters),
            Steps = [.. run.Steps], DedupeKey = run.DedupeKey, IdempotencyKey = run.IdempotencyKey, Fence = W.ToMessage(fence),
        };
        var r = await SendAsync(
            HttpMethod.Post, Api + "/runs", request, PipelineStoreJson.Default.CreatePipelineRunRequest, PipelineStoreJson.Default.CreatePipelineRunResponse,
            retry: run.IdempotencyKey is not null, cancellationToken).ConfigureAwait(false);
        return new CreatedPipelineRun(W.FromMessage(r.Run ?? throw Malformed("run")), r.Created);
    }

    /// <inheritdoc/>
    public async Task<PipelineRun> TryStartRunAsync(long runId, int limit, string? mlflowRunId, CancellationToken cancellationToken = default)
    {
        var request = new StoreStartPipelineRunRequest { Limit = limit, MlflowRunId = mlflowRunId };
        var r = await SendAsync(
            HttpMethod.Post, RunPath(runId) + "/start", request, PipelineStoreJson.Default.StoreStartPipelineRunRequest, PipelineStoreJson.Default.StorePipelineRunResponse, retry: true, cancellationToken).ConfigureAwait(false);
        return W.FromMessage(r.Run ?? throw Malformed("run"));
    }

    /// <inheritdoc/>
    public async Task<PipelineRun> FinishRunAsync(long runId, PipelineRunState to, string? error, CancellationToken cancellationToken = default)
    {
        var request = new FinishPipelineRunRequest { State = PipelineTransitions.Name(to), Error = error };
        var r = await SendAsync(
            HttpMethod.Post, RunPath(runId) + "/finish", request, PipelineStoreJson.Default.FinishPipelineRunRequest, PipelineStoreJson.Default.StorePipelineRunResponse, retry: false, cancellationToken).ConfigureAwait(false);
        return W.FromMessage(r.Run ?? throw Malformed("run"));
    }

    /// <inheritdoc/>
    public async Task<PipelineRun?> GetRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(RunPath(runId), [], PipelineStoreJson.Default.StorePipelineRunResponse, cancellationToken).ConfigureAwait(false);
        return r.Run is null ? null : W.FromMessage(r.Run);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PipelineRun>> ListRunsAsync(PipelineRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var args = new List<KeyValuePair<string, string?>> { new("pipeline", query.Pipeline), new("before_id", Text(query.BeforeId)), new("max_results", Text(query.MaxResults)) };
        args.AddRange((query.States ?? []).Select(s => new KeyValuePair<string, string?>("states", PipelineTransitions.Name(s))));
        var r = await _transport.GetJsonAsync(Api + "/runs", args, PipelineStoreJson.Default.StorePipelineRunsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (r.Runs ?? []).Select(W.FromMessage)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StepRun>> GetStepsAsync(long runId, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(RunPath(runId) + "/steps", [], PipelineStoreJson.Default.StepRunsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (r.Steps ?? []).Select(W.FromMessage)];
    }

    /// <inheritdoc/>
    public async Task<StepRun> UpdateStepAsync(StepUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var r = await SendAsync(
            HttpMethod.Post, StepPath(update.RunId, update.Step), W.ToMessage(update), PipelineStoreJson.Default.UpdateStepRequest, PipelineStoreJson.Default.StepRunResponse,
            retry: false, cancellationToken).ConfigureAwait(false);
        return W.FromMessage(r.Step ?? throw Malformed("step"));
    }

    /// <inheritdoc/>
    public Task AppendLogAsync(long runId, string step, int attempt, IReadOnlyList<string> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var request = new AppendStepLogRequest { Attempt = attempt, Lines = [.. lines] };
        return SendAsync(
            HttpMethod.Post, StepPath(runId, step) + "/log", request, PipelineStoreJson.Default.AppendStepLogRequest, PipelineStoreJson.Default.PipelineStoreEmpty, retry: false, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StepLogLine>> ListLogAsync(long runId, string? step, long afterSeq, int maxResults, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(
            RunPath(runId) + "/log", [new("step", step), new("after_seq", Text(afterSeq)), new("max_results", Text(maxResults))], PipelineStoreJson.Default.StepLogResponse, cancellationToken).ConfigureAwait(false);
        return [.. (r.Lines ?? []).Select(W.FromMessage)];
    }

    /// <inheritdoc/>
    public async Task<StepCacheEntry?> FindCacheAsync(string key, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(Api + "/cache", [new("key", key)], PipelineStoreJson.Default.StepCacheResponse, cancellationToken).ConfigureAwait(false);
        return r.Entry is null ? null : W.FromMessage(r.Entry);
    }

    /// <inheritdoc/>
    public async Task<StepCacheEntry> PutCacheAsync(StepCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var r = await SendAsync(
            HttpMethod.Post, Api + "/cache", W.ToMessage(entry), PipelineStoreJson.Default.StepCacheEntryMessage, PipelineStoreJson.Default.StepCacheResponse, retry: true, cancellationToken).ConfigureAwait(false);
        return W.FromMessage(r.Entry ?? throw Malformed("entry"));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PipelineEvent>> ListEventsAsync(long afterSeq, long? runId, int maxResults, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(
            Api + "/events", [new("after_seq", Text(afterSeq)), new("run_id", Text(runId)), new("max_results", Text(maxResults))], PipelineStoreJson.Default.StorePipelineEventsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (r.Events ?? []).Select(W.FromMessage)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TriggerState>> GetTriggerStatesAsync(string pipeline, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(PipelinePath(pipeline) + "/triggers", [], PipelineStoreJson.Default.TriggerStatesResponse, cancellationToken).ConfigureAwait(false);
        return [.. (r.Triggers ?? []).Select(W.FromMessage)];
    }

    /// <inheritdoc/>
    public Task SaveTriggerStateAsync(TriggerState state, LeaseFence? fence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var request = new SaveTriggerStateRequest { State = W.ToMessage(state), Fence = W.ToMessage(fence) };
        return SendAsync(
            HttpMethod.Put, PipelinePath(state.Pipeline) + "/triggers/" + Uri.EscapeDataString(state.Trigger), request,
            PipelineStoreJson.Default.SaveTriggerStateRequest, PipelineStoreJson.Default.PipelineStoreEmpty, retry: true, cancellationToken);
    }

    private static string PipelinePath(string name) => Api + "/pipelines/" + Uri.EscapeDataString(name);

    private static string RunPath(long runId) => Api + "/runs/" + runId.ToString(CultureInfo.InvariantCulture);

    private static string StepPath(long runId, string step) => RunPath(runId) + "/steps/" + Uri.EscapeDataString(step);

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static Core.Errors.KeelException Malformed(string field) =>
        new(Core.Errors.ErrorCode.InternalError, $"The server's pipeline store answer has no {field}.");

    private Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, bool retry, CancellationToken cancellationToken)
        where TResponse : new() =>
        _transport.SendJsonAsync(method, path, body, requestType, responseType, retry, null, cancellationToken);
}
