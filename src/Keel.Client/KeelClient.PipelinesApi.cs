using System.Globalization;
using Keel.Core.Wire;

namespace Keel.Client;

// Keel's pipelines API: definitions, runs, plans, logs, the event feed.
public sealed partial class KeelClient : IPipelineApi
{
    private const string PipelinesApi = "/api/2.0/keel/pipelines";

    /// <inheritdoc />
    public Task<ApplyPipelineResponse> ApplyPipelineAsync(string definition, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _transport.SendRecordAsync(
            HttpMethod.Post, PipelinesApi, new ApplyPipelineRequest { Definition = definition, ExpectedVersion = expectedVersion },
            PipelineApiJson.Default.ApplyPipelineRequest, PipelineApiJson.Default.ApplyPipelineResponse, retry: true, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<PipelineInfo>> ListPipelinesAsync(CancellationToken cancellationToken = default) =>
        (await _transport.GetRecordAsync(PipelinesApi, [], PipelineApiJson.Default.PipelinesResponse, cancellationToken).ConfigureAwait(false)).Pipelines;

    /// <inheritdoc />
    public async Task<PipelineInfo> GetPipelineAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
        (await _transport.GetRecordAsync(
            $"{PipelinesApi}/{Uri.EscapeDataString(name)}", [new("version", version?.ToString(CultureInfo.InvariantCulture))],
            PipelineApiJson.Default.PipelineResponse, cancellationToken).ConfigureAwait(false)).Pipeline!;

    /// <inheritdoc />
    public Task<StartPipelineRunResponse> StartPipelineRunAsync(string name, IReadOnlyDictionary<string, string>? parameters = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        _transport.SendRecordAsync(
            HttpMethod.Post, $"{PipelinesApi}/{Uri.EscapeDataString(name)}/runs",
            new StartPipelineRunRequest { Params = parameters is null ? null : new Dictionary<string, string>(parameters), IdempotencyKey = idempotencyKey },
            PipelineApiJson.Default.StartPipelineRunRequest, PipelineApiJson.Default.StartPipelineRunResponse, retry: idempotencyKey is not null, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<PlannedStepInfo>> PlanPipelineAsync(string name, IReadOnlyDictionary<string, string>? parameters = null, CancellationToken cancellationToken = default) =>
        (await _transport.SendRecordAsync(
            HttpMethod.Post, $"{PipelinesApi}/{Uri.EscapeDataString(name)}/plan",
            new PlanPipelineRequest { Params = parameters is null ? null : new Dictionary<string, string>(parameters) },
            PipelineApiJson.Default.PlanPipelineRequest, PipelineApiJson.Default.PlanPipelineResponse, retry: true, cancellationToken).ConfigureAwait(false)).Steps;

    /// <inheritdoc />
    public async Task<IReadOnlyList<PipelineRunInfo>> ListPipelineRunsAsync(string? pipeline = null, string? state = null, long? beforeId = null, int? maxResults = null, CancellationToken cancellationToken = default) =>
        (await _transport.GetRecordAsync(
            $"{PipelinesApi}/runs",
            [
                new("pipeline", pipeline),
                new("state", state),
                new("before", beforeId?.ToString(CultureInfo.InvariantCulture)),
                new("max_results", maxResults?.ToString(CultureInfo.InvariantCulture)),
            ],
            PipelineApiJson.Default.PipelineRunsResponse, cancellationToken).ConfigureAwait(false)).Runs;

    /// <inheritdoc />
    public Task<PipelineRunResponse> GetPipelineRunAsync(long runId, CancellationToken cancellationToken = default) =>
        _transport.GetRecordAsync($"{PipelinesApi}/runs/{runId.ToString(CultureInfo.InvariantCulture)}", [], PipelineApiJson.Default.PipelineRunResponse, cancellationToken);

    /// <inheritdoc />
    public Task<PipelineLogResponse> GetPipelineLogAsync(long runId, string? step = null, long after = 0, int? maxResults = null, CancellationToken cancellationToken = default) =>
        _transport.GetRecordAsync(
            $"{PipelinesApi}/runs/{runId.ToString(CultureInfo.InvariantCulture)}/logs",
            [new("step", step), new("after", after.ToString(CultureInfo.InvariantCulture)), new("max_results", maxResults?.ToString(CultureInfo.InvariantCulture))],
            PipelineApiJson.Default.PipelineLogResponse, cancellationToken);

    /// <inheritdoc />
    public async Task<PipelineRunInfo> CancelPipelineRunAsync(long runId, string? reason = null, CancellationToken cancellationToken = default) =>
        (await _transport.SendRecordAsync(
            HttpMethod.Post, $"{PipelinesApi}/runs/{runId.ToString(CultureInfo.InvariantCulture)}/cancel", new CancelPipelineRunRequest { Reason = reason },
            PipelineApiJson.Default.CancelPipelineRunRequest, PipelineApiJson.Default.PipelineRunResponse, retry: false, cancellationToken).ConfigureAwait(false)).Run!;

    /// <inheritdoc />
    public Task<PipelineEventsResponse> GetPipelineEventsAsync(long after = 0, long? runId = null, int? maxResults = null, CancellationToken cancellationToken = default) =>
        _transport.GetRecordAsync(
            $"{PipelinesApi}/events",
            [new("after", after.ToString(CultureInfo.InvariantCulture)), new("run_id", runId?.ToString(CultureInfo.InvariantCulture)), new("max_results", maxResults?.ToString(CultureInfo.InvariantCulture))],
            PipelineApiJson.Default.PipelineEventsResponse, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<StepTypeInfo>> ListStepTypesAsync(CancellationToken cancellationToken = default) =>
        (await _transport.GetRecordAsync($"{PipelinesApi}/step-types", [], PipelineApiJson.Default.StepTypesResponse, cancellationToken).ConfigureAwait(false)).StepTypes;
}
