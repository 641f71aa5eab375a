using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Client;

// Friendly tracking methods for scripts and notebooks, shaped like MLflow's MlflowClient.
public sealed partial class KeelClient
{
    /// <summary>The most metrics, params and tags MLflow accepts in one log-batch call.</summary>
    public const int MaxMetricsPerBatch = RequestLimits.MaxMetricsPerBatch;

    /// <summary>Creates an experiment with the server's default artifact location and no tags; returns its id.</summary>
    /// <param name="name">Unique experiment name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_ALREADY_EXISTS when the name is taken; INVALID_PARAMETER_VALUE for a bad name.</exception>
    public Task<string> CreateExperimentAsync(string name, CancellationToken cancellationToken = default) =>
        CreateExperimentAsync(name, null, [], cancellationToken);

    /// <summary>Creates an experiment with tags; returns its id.</summary>
    /// <param name="name">Unique experiment name.</param>
    /// <param name="artifactLocation">Root URI of its artifacts; null for the server's default.</param>
    /// <param name="tags">Experiment tags, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_ALREADY_EXISTS when the name is taken; INVALID_PARAMETER_VALUE for a bad name, tag or location.</exception>
    public Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken = default) =>
        CreateExperimentAsync(name, artifactLocation, ToTags(tags), cancellationToken);

    /// <summary>Returns the id of the experiment named <paramref name="name"/>, creating it if it does not exist; safe when another client creates it at the same time.</summary>
    /// <param name="name">The experiment name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> GetOrCreateExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)).ExperimentId;
        }
        catch (KeelException ex) when (ex.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
        {
        }

        try
        {
            return await CreateExperimentAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException ex) when (ex.Code == ErrorCode.ResourceAlreadyExists)
        {
            // Another client created it between our two calls.
            return (await GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)).ExperimentId;
        }
    }

    /// <summary>Starts a run (status RUNNING, start time now, user = the OS user) and returns it.</summary>
    /// <param name="experimentId">The experiment to start it in.</param>
    /// <param name="runName">Display name; the server generates one (e.g. <c>brave-owl-417</c>) when null.</param>
    /// <param name="tags">Run tags; <c>mlflow.user</c> is added when absent.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST for an unknown experiment; INVALID_PARAMETER_VALUE when it is deleted.</exception>
    public Task<Run> StartRunAsync(string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        var runTags = ToTags(tags);
        if (!runTags.Any(t => t.Key == "mlflow.user"))
        {
            // MLflow's client records the user as a tag too; the UI reads it from there.
            runTags = [.. runTags, new Tag("mlflow.user", Environment.UserName)];
        }

        return CreateRunAsync(new NewRun(experimentId, Environment.UserName, runName ?? string.Empty, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), runTags), cancellationToken);
    }

    /// <summary>Ends a run with <paramref name="status"/> and the current time as end time.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="status">FINISHED, FAILED or KILLED.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; INVALID_PARAMETER_VALUE when it is deleted or already ended with another status.</exception>
    public Task<RunInfo> EndRunAsync(string runId, RunStatus status = RunStatus.Finished, CancellationToken cancellationToken = default) =>
        UpdateRunAsync(runId, new RunUpdate(status, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null), cancellationToken);

    /// <summary>Logs one metric point.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The metric name.</param>
    /// <param name="value">The value; NaN and infinities are allowed.</param>
    /// <param name="step">The training step.</param>
    /// <param name="timestamp">When it was measured, Unix milliseconds; now when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; INVALID_PARAMETER_VALUE for a bad key or a deleted run.</exception>
    public Task LogMetricAsync(string runId, string key, double value, long step = 0, long? timestamp = null, CancellationToken cancellationToken = default)
    {
        var request = new LogMetricRequest
        {
            RunId = runId,
            RunUuid = runId,
            Key = key,
            Value = value,
            Timestamp = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Step = step,
        };
        return PostEmptyAsync($"{Api}/runs/log-metric", request, WireJson.Default.LogMetricRequest, cancellationToken);
    }

    /// <summary>Logs a param; logging the same key again is accepted only with the same value.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The param name.</param>
    /// <param name="value">The value (at most <see cref="RequestLimits.MaxParamValueLength"/> characters).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a changed value, a bad key or a deleted run; RESOURCE_DOES_NOT_EXIST for an unknown run.</exception>
    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        PostEmptyAsync($"{Api}/runs/log-parameter", new RunKeyValueRequest { RunId = runId, RunUuid = runId, Key = key, Value = value }, WireJson.Default.RunKeyValueRequest, cancellationToken);

    /// <summary>Sets (or overwrites) a run tag.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; INVALID_PARAMETER_VALUE for a bad key or a deleted run.</exception>
    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        PostEmptyAsync($"{Api}/runs/set-tag", new RunKeyValueRequest { RunId = runId, RunUuid = runId, Key = key, Value = value }, WireJson.Default.RunKeyValueRequest, cancellationToken);

    /// <summary>Logs many metric points, in log-batch calls of at most <see cref="MaxMetricsPerBatch"/> points; each call is all or nothing, retried safely.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metrics">The points; timestamps are Unix milliseconds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">The first failing batch's error; earlier batches stay logged.</exception>
    public async Task LogMetricsAsync(string runId, IEnumerable<Metric> metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var chunk in metrics.Chunk(MaxMetricsPerBatch))
        {
            await LogBatchAsync(runId, chunk, [], [], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gets one metric's history of several runs (at most 100), sampled by the server to at most <paramref name="maxResults"/> steps per run.</summary>
    /// <param name="runIds">The runs, 1 to 100.</param>
    /// <param name="metricKey">The metric name.</param>
    /// <param name="startStep">First step to include; with <paramref name="endStep"/>.</param>
    /// <param name="endStep">Last step to include; with <paramref name="startStep"/>.</param>
    /// <param name="maxResults">Steps per run to sample, 1 to 2500 (the default).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for too many runs, a missing key or a bad step range.</exception>
    public async Task<IReadOnlyList<MetricWithRunId>> GetMetricHistoryBulkIntervalAsync(
        IReadOnlyList<string> runIds, string metricKey, int? startStep = null, int? endStep = null, int? maxResults = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var query = runIds.Select(id => new KeyValuePair<string, string?>("run_ids", id)).ToList();
        query.Add(new("metric_key", metricKey));
        query.Add(new("start_step", startStep?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        query.Add(new("end_step", endStep?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        query.Add(new("max_results", maxResults?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var response = await _transport.GetJsonAsync($"{Api}/metrics/get-history-bulk-interval", query, WireJson.Default.MetricsWithRunIdResponse, cancellationToken).ConfigureAwait(false);
        return response.Metrics?
            .Select(m => new MetricWithRunId(m.RunId ?? string.Empty, new Metric(m.Key ?? metricKey, m.Value ?? 0, m.Timestamp ?? 0, m.Step ?? 0)))
            .ToList() ?? [];
    }

    /// <summary>Searches runs with MLflow's filter and order-by syntax; the server validates the text.</summary>
    /// <param name="experimentIds">The experiments to search.</param>
    /// <param name="filter">e.g. <c>metrics.rmse &lt; 1 and params.model = 'tree'</c>; null for all runs.</param>
    /// <param name="orderBy">e.g. <c>metrics.rmse ASC</c>; null for the server's default (newest first).</param>
    /// <param name="maxResults">Page size, at most 50000.</param>
    /// <param name="pageToken">The token of the previous page, or null for the first.</param>
    /// <param name="viewType">Which lifecycle stages to include.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for bad filter or order-by text, naming what is wrong.</exception>
    public Task<PagedList<Run>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, string? filter = null, IReadOnlyList<string>? orderBy = null, int maxResults = 1000, string? pageToken = null, ViewType viewType = ViewType.ActiveOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        return SearchRunsCoreAsync(experimentIds, filter, orderBy, viewType, maxResults, pageToken, cancellationToken);
    }

    /// <summary>Searches experiments with MLflow's filter and order-by syntax; the server validates the text.</summary>
    /// <param name="filter">e.g. <c>name LIKE 'demo%'</c>; null for all.</param>
    /// <param name="orderBy">e.g. <c>name ASC</c>; null for the server's default (newest first).</param>
    /// <param name="maxResults">Page size.</param>
    /// <param name="pageToken">The token of the previous page, or null for the first.</param>
    /// <param name="viewType">Which lifecycle stages to include.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for bad filter or order-by text.</exception>
    public Task<PagedList<Experiment>> SearchExperimentsAsync(
        string? filter = null, IReadOnlyList<string>? orderBy = null, int maxResults = 1000, string? pageToken = null, ViewType viewType = ViewType.ActiveOnly, CancellationToken cancellationToken = default) =>
        SearchExperimentsCoreAsync(filter, orderBy, viewType, maxResults, pageToken, cancellationToken);

    private static List<Tag> ToTags(IReadOnlyDictionary<string, string>? tags) =>
        tags?.Select(kv => new Tag(kv.Key, kv.Value)).ToList() ?? [];
}
