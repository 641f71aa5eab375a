using Keel.Client.Internal;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Client;

// ITrackingStore: runs, metrics, params, tags and inputs.
public sealed partial class KeelClient
{
    /// <inheritdoc/>
    public async Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = new CreateRunRequest
        {
            ExperimentId = run.ExperimentId,
            UserId = run.UserId,
            RunName = string.IsNullOrEmpty(run.RunName) ? null : run.RunName,
            StartTime = run.StartTime,
            Tags = run.Tags.ToDtos(),
        };
        // Never retried: a retry after a lost answer would create a second run.
        var response = await _transport.PostJsonAsync($"{Api}/runs/create", request, WireJson.Default.CreateRunRequest, WireJson.Default.RunResponse, retry: false, cancellationToken).ConfigureAwait(false);
        return (response.Run ?? new RunDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync($"{Api}/runs/get", [new("run_id", runId), new("run_uuid", runId)], WireJson.Default.RunResponse, cancellationToken).ConfigureAwait(false);
        return (response.Run ?? new RunDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var request = new UpdateRunRequest
        {
            RunId = runId,
            RunUuid = runId,
            Status = update.Status?.ToWire(),
            EndTime = update.EndTime,
            RunName = update.RunName,
        };
        var response = await _transport.PostJsonAsync($"{Api}/runs/update", request, WireJson.Default.UpdateRunRequest, WireJson.Default.UpdateRunResponse, retry: true, cancellationToken).ConfigureAwait(false);
        return (response.RunInfo ?? new RunInfoDto()).ToDomain();
    }

    /// <inheritdoc/>
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) =>
        PostEmptyAsync($"{Api}/runs/delete", new RunIdRequest { RunId = runId }, WireJson.Default.RunIdRequest, cancellationToken);

    /// <inheritdoc/>
    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) =>
        PostEmptyAsync($"{Api}/runs/restore", new RunIdRequest { RunId = runId }, WireJson.Default.RunIdRequest, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// The server takes at most 1000 metrics, 100 params and 100 tags, 1000 in all, per request (MLflow's <see cref="RequestLimits"/>),
    /// so a larger batch is sent as several requests: params and tags first (a param conflict then
    /// fails before any metric is written), then metrics in chunks of <see cref="RequestLimits.MaxMetricsPerBatch"/>. Each request is atomic;
    /// the whole of an oversized batch is not. Retrying is safe: identical points are stored once.
    /// </remarks>
    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(@params);
        ArgumentNullException.ThrowIfNull(tags);
        if (metrics.Count <= RequestLimits.MaxMetricsPerBatch && @params.Count <= RequestLimits.MaxParamsPerBatch && tags.Count <= RequestLimits.MaxTagsPerBatch
            && metrics.Count + @params.Count + tags.Count <= RequestLimits.MaxEntitiesPerBatch)
        {
            await SendBatchAsync(runId, metrics, @params, tags, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var chunk in @params.Chunk(RequestLimits.MaxParamsPerBatch))
        {
            await SendBatchAsync(runId, [], chunk, [], cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in tags.Chunk(RequestLimits.MaxTagsPerBatch))
        {
            await SendBatchAsync(runId, [], [], chunk, cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in metrics.Chunk(RequestLimits.MaxMetricsPerBatch))
        {
            await SendBatchAsync(runId, chunk, [], [], cancellationToken).ConfigureAwait(false);
        }
    }

    private Task SendBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags, CancellationToken cancellationToken)
    {
        var request = new LogBatchRequest
        {
            RunId = runId,
            Metrics = metrics.Count == 0 ? null : metrics.Select(m => m.ToDto()).ToList(),
            Params = @params.Count == 0 ? null : @params.Select(p => p.ToDto()).ToList(),
            Tags = tags.ToDtos(),
        };

        // Retried: the store deduplicates identical metric points and accepts an identical param again.
        return PostEmptyAsync($"{Api}/runs/log-batch", request, WireJson.Default.LogBatchRequest, cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) =>
        // Not retried: a retry after a lost answer would report the (already deleted) tag as missing.
        PostEmptyAsync($"{Api}/runs/delete-tag", new RunKeyValueRequest { RunId = runId, Key = key }, WireJson.Default.RunKeyValueRequest, cancellationToken, retry: false);

    /// <inheritdoc/>
    public Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default) =>
        // Not retried: a retry after a lost answer would append the model to the history twice.
        PostEmptyAsync($"{Api}/runs/log-model", new LogModelRequest { RunId = runId, ModelJson = modelJson }, WireJson.Default.LogModelRequest, cancellationToken, retry: false);

    /// <inheritdoc/>
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var request = new LogInputsRequest { RunId = runId, Datasets = inputs.Select(i => i.ToDto()).ToList() };
        return PostEmptyAsync($"{Api}/runs/log-inputs", request, WireJson.Default.LogInputsRequest, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DatasetSummary>> SearchDatasetsAsync(IReadOnlyList<string> experimentIds, int maxResults, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        if (experimentIds.Count == 0 || maxResults <= 0)
        {
            return [];
        }

        // MLflow serves this route for its UI only, under ajax-api; the server caps the answer itself.
        var response = await _transport.PostJsonAsync(
            "/ajax-api/2.0/mlflow/experiments/search-datasets",
            new SearchDatasetsRequest { ExperimentIds = [.. experimentIds] },
            WireJson.Default.SearchDatasetsRequest,
            WireJson.Default.SearchDatasetsResponse,
            retry: true,
            cancellationToken).ConfigureAwait(false);
        return response.DatasetSummaries?.Select(d => d.ToDomain()).Take(maxResults).ToList() ?? [];
    }

    /// <inheritdoc/>
    public async Task<Page<Run>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = await SearchRunsCoreAsync(query.ExperimentIds, query.FilterText ?? SearchText.Format(query.Filter), query.OrderByText ?? SearchText.Format(query.OrderBy), query.ViewType, query.MaxResults, PageToken.ForOffset(query.Offset), cancellationToken).ConfigureAwait(false);
        return new Page<Run>(page.Items, page.NextPageToken is not null);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        var all = new List<Metric>();
        string? token = null;
        do
        {
            // A 2.12.2 server never pages; a 3.x server may, so follow its token.
            var response = await _transport.GetJsonAsync(
                $"{Api}/metrics/get-history",
                [new("run_id", runId), new("run_uuid", runId), new("metric_key", metricKey), new("page_token", token)],
                WireJson.Default.MetricsResponse,
                cancellationToken).ConfigureAwait(false);
            all.AddRange(response.Metrics?.Select(m => m.ToMetric()) ?? []);
            token = string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken;
        }
        while (token is not null);

        return all;
    }

    private async Task<PagedList<Run>> SearchRunsCoreAsync(IReadOnlyList<string> experimentIds, string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, long? maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var request = new SearchRunsRequest
        {
            ExperimentIds = [.. experimentIds],
            Filter = string.IsNullOrEmpty(filter) ? null : filter,
            RunViewType = ViewTypeName(viewType),
            MaxResults = maxResults,
            OrderBy = orderBy is { Count: > 0 } ? [.. orderBy] : null,
            PageToken = string.IsNullOrEmpty(pageToken) ? null : pageToken,
        };
        var response = await _transport.PostJsonAsync($"{Api}/runs/search", request, WireJson.Default.SearchRunsRequest, WireJson.Default.SearchRunsResponse, retry: true, cancellationToken).ConfigureAwait(false);
        var items = response.Runs?.Select(r => r.ToDomain()).ToList() ?? [];
        return new PagedList<Run>(items, string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken);
    }
}
