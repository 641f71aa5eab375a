using Keel.Application.Validation;
using Keel.Compute.Search;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Application;

/// <summary>
/// Tracking use cases over <see cref="ITrackingStore"/>: the one place where arguments are checked
/// and defaulted with MLflow's rules and wording, so every store may assume valid input. Used by the
/// server and, for local data dirs, by the CLI.
/// </summary>
public sealed partial class TrackingService
{
    private const string RunNameTag = "mlflow.runName";
    private readonly ITrackingStore _store;
    private readonly TimeProvider _time;

    public TrackingService(ITrackingStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    public Task<string> CreateExperimentAsync(string? name, string? artifactLocation, IReadOnlyList<Tag>? tags, CancellationToken cancellationToken = default)
    {
        Ids.Require(name, "name");
        var checkedTags = tags ?? [];
        foreach (var tag in checkedTags)
        {
            CheckExperimentTag(tag.Key, tag.Value);
        }

        // A relative local location is made absolute here, once, as MLflow's store does.
        var location = string.IsNullOrEmpty(artifactLocation) ? null : ArtifactUri.CheckLocation(artifactLocation);
        return _store.CreateExperimentAsync(name!, location, checkedTags, cancellationToken);
    }

    public Task<Experiment> GetExperimentAsync(string? experimentId, CancellationToken cancellationToken = default) =>
        _store.GetExperimentAsync(Ids.RequireExperimentId(experimentId), cancellationToken);

    public Task<Experiment> GetExperimentByNameAsync(string? name, CancellationToken cancellationToken = default) =>
        _store.GetExperimentByNameAsync(Ids.Require(name, "experiment_name"), cancellationToken);

    public async Task<PagedList<Experiment>> SearchExperimentsAsync(
        string? filter, IReadOnlyList<string>? orderBy, ViewType? viewType, long? maxResults, string? pageToken, CancellationToken cancellationToken = default)
    {
        var max = Limits.SearchMaxResults(maxResults);
        var offset = PageToken.Decode(pageToken);
        var query = new ExperimentQuery(
            SearchFilterParser.ParseExperimentFilter(filter),
            viewType ?? ViewType.ActiveOnly,
            SearchFilterParser.ParseExperimentOrderBy(orderBy),
            offset,
            max,
            filter,
            orderBy);
        var page = await _store.SearchExperimentsAsync(query, cancellationToken).ConfigureAwait(false);
        return new PagedList<Experiment>(page.Items, PageToken.After(offset, page));
    }

    public Task DeleteExperimentAsync(string? experimentId, CancellationToken cancellationToken = default) =>
        _store.DeleteExperimentAsync(Ids.RequireExperimentId(experimentId), cancellationToken);

    public Task RestoreExperimentAsync(string? experimentId, CancellationToken cancellationToken = default) =>
        _store.RestoreExperimentAsync(Ids.RequireExperimentId(experimentId), cancellationToken);

    public async Task RenameExperimentAsync(string? experimentId, string? newName, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireExperimentId(experimentId);
        if (string.IsNullOrEmpty(newName))
        {
            // MLflow treats an update without a new name as a no-op on an existing experiment.
            await _store.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _store.RenameExperimentAsync(id, newName, cancellationToken).ConfigureAwait(false);
    }

    public Task SetExperimentTagAsync(string? experimentId, string? key, string? value, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireExperimentId(experimentId);
        CheckExperimentTag(key, value);
        return _store.SetExperimentTagAsync(id, new Tag(key!, value!), cancellationToken);
    }

    public Task<Run> CreateRunAsync(
        string? experimentId, string? userId, string? runName, long? startTime, IReadOnlyList<Tag>? tags, CancellationToken cancellationToken = default)
    {
        var expId = string.IsNullOrEmpty(experimentId) ? Experiment.DefaultId : experimentId;
        Ids.CheckExperimentId(expId);
        var list = new List<Tag>(tags?.Count + 1 ?? 1);
        string? tagName = null;
        foreach (var tag in tags ?? [])
        {
            CheckRunTag(tag.Key, tag.Value);
            if (tag.Key == RunNameTag)
            {
                tagName = tag.Value;
            }

            list.Add(tag);
        }

        if (!string.IsNullOrEmpty(runName) && tagName is not null && tagName != runName)
        {
            throw KeelException.InvalidParameter(
                $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{tagName}').");
        }

        // MLflow names unnamed runs and mirrors the name into the mlflow.runName tag the UI reads.
        var name = !string.IsNullOrEmpty(runName) ? runName : !string.IsNullOrEmpty(tagName) ? tagName : RunNameGenerator.Next();
        if (tagName is null)
        {
            list.Add(new Tag(RunNameTag, name));
        }

        var start = startTime ?? _time.GetUtcNow().ToUnixTimeMilliseconds();
        return _store.CreateRunAsync(new NewRun(expId, userId ?? string.Empty, name, start, list), cancellationToken);
    }

    public Task<Run> GetRunAsync(string? runId, CancellationToken cancellationToken = default) =>
        _store.GetRunAsync(Ids.RequireRunId(runId), cancellationToken);

    public Task<RunInfo> UpdateRunAsync(string? runId, string? status, long? endTime, string? runName, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);
        RunStatus? parsed = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!RunStatusTransitions.TryParse(status, out var s))
            {
                throw KeelException.InvalidParameter($"Invalid value {status} for parameter 'status' supplied.");
            }

            parsed = s;
        }

        if (endTime is < 0)
        {
            throw KeelException.InvalidParameter($"Invalid value {endTime} for parameter 'end_time' supplied.");
        }

        return _store.UpdateRunAsync(id, new RunUpdate(parsed, endTime, string.IsNullOrEmpty(runName) ? null : runName), cancellationToken);
    }

    public Task DeleteRunAsync(string? runId, CancellationToken cancellationToken = default) =>
        _store.DeleteRunAsync(Ids.RequireRunId(runId), cancellationToken);

    public Task RestoreRunAsync(string? runId, CancellationToken cancellationToken = default) =>
        _store.RestoreRunAsync(Ids.RequireRunId(runId), cancellationToken);

    public Task LogMetricAsync(string? runId, string? key, double? value, long? timestamp, long? step, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);
        Ids.Require(key, "key");
        if (value is null)
        {
            throw KeelException.MissingParameter("value");
        }

        if (timestamp is null)
        {
            throw KeelException.MissingParameter("timestamp");
        }

        var metric = new Metric(key!, value.Value, timestamp.Value, step ?? 0);
        CheckMetric(metric);
        return _store.LogBatchAsync(id, [metric], [], [], cancellationToken);
    }

    public Task LogParamAsync(string? runId, string? key, string? value, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);
        Ids.Require(key, "key");
        var param = new Param(key!, value ?? throw KeelException.MissingParameter("value"));
        CheckParam(param);
        return _store.LogBatchAsync(id, [], [param], [], cancellationToken);
    }

    public Task SetTagAsync(string? runId, string? key, string? value, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);
        Ids.Require(key, "key");
        CheckRunTag(key, value);
        return _store.LogBatchAsync(id, [], [], [new Tag(key!, value!)], cancellationToken);
    }

    public Task DeleteTagAsync(string? runId, string? key, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);
        return _store.DeleteTagAsync(id, Ids.Require(key, "key"), cancellationToken);
    }

    public Task LogBatchAsync(
        string? runId, IReadOnlyList<Metric>? metrics, IReadOnlyList<Param>? @params, IReadOnlyList<Tag>? tags, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);
        metrics ??= [];
        @params ??= [];
        tags ??= [];
        Limits.CheckBatchSizes(metrics.Count, @params.Count, tags.Count);

        // Plain loops: this is the ingestion hot path (1000 metrics per call). A batch repeats a few
        // keys (the request reader hands out one string per distinct key), so a key already checked
        // in this batch is not run through the name rules again.
        var checkedKeys = new string[16];
        var checkedCount = 0;
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            if (metric.Key is null || Array.IndexOf(checkedKeys, metric.Key, 0, Math.Min(checkedCount, checkedKeys.Length)) < 0)
            {
                KeyRules.ValidateMetricKey(metric.Key);
                checkedKeys[checkedCount++ % checkedKeys.Length] = metric.Key!;
            }

            CheckTimestamp(metric);
        }

        for (var i = 0; i < @params.Count; i++)
        {
            CheckParam(@params[i]);
        }

        if (@params.Count > 1)
        {
            CheckDistinctParamKeys(@params);
        }

        for (var i = 0; i < tags.Count; i++)
        {
            CheckRunTag(tags[i].Key, tags[i].Value);
        }

        return _store.LogBatchAsync(id, metrics, @params, tags, cancellationToken);
    }

    /// <summary>Appends a logged model's MLmodel JSON to the run's <c>mlflow.log-model.history</c> tag.</summary>
    public Task LogModelAsync(string? runId, string? modelJson, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);
        var json = Ids.Require(modelJson, "model_json");
        ModelJsonRules.Validate(json);
        return _store.RecordLoggedModelAsync(id, json, cancellationToken);
    }

    public Task LogInputsAsync(string? runId, IReadOnlyList<DatasetInput>? datasets, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);

        // MLflow requires the field (an empty list is accepted and logs nothing).
        if (datasets is null)
        {
            throw KeelException.MissingParameter("datasets");
        }

        foreach (var input in datasets)
        {
            DatasetRules.Validate(input);
        }

        return _store.LogInputsAsync(id, datasets, cancellationToken);
    }

    /// <summary>
    /// The datasets logged to runs of up to 20 experiments, with their context (MLflow's UI
    /// <c>experiments/search-datasets</c>; at most 1,000, as MLflow answers).
    /// </summary>
    public Task<IReadOnlyList<DatasetSummary>> SearchDatasetsAsync(IReadOnlyList<string>? experimentIds, CancellationToken cancellationToken = default)
    {
        if (experimentIds is null || experimentIds.Count == 0)
        {
            throw KeelException.InvalidParameter("SearchDatasets request must specify at least one experiment_id.");
        }

        if (experimentIds.Count > RequestLimits.MaxExperimentsPerDatasetSearch)
        {
            throw KeelException.InvalidParameter(
                $"SearchDatasets request cannot specify more than {RequestLimits.MaxExperimentsPerDatasetSearch} experiment_ids. Received {experimentIds.Count} experiment_ids.");
        }

        return _store.SearchDatasetsAsync(experimentIds, RequestLimits.MaxDatasetSummaries, cancellationToken);
    }

    public async Task<PagedList<Run>> SearchRunsAsync(
        IReadOnlyList<string>? experimentIds, string? filter, ViewType? viewType, long? maxResults, IReadOnlyList<string>? orderBy, string? pageToken,
        CancellationToken cancellationToken = default)
    {
        experimentIds ??= [];
        foreach (var expId in experimentIds)
        {
            Ids.CheckExperimentId(expId);
        }

        var max = Limits.SearchMaxResults(maxResults);
        var offset = PageToken.Decode(pageToken);
        var query = new RunQuery(
            experimentIds,
            SearchFilterParser.ParseRunFilter(filter),
            viewType ?? ViewType.ActiveOnly,
            SearchFilterParser.ParseRunOrderBy(orderBy),
            offset,
            max,
            filter,
            orderBy);
        var page = await _store.SearchRunsAsync(query, cancellationToken).ConfigureAwait(false);
        return new PagedList<Run>(page.Items, PageToken.After(offset, page));
    }

    public Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string? runId, string? metricKey, CancellationToken cancellationToken = default)
    {
        var id = Ids.RequireRunId(runId);
        return _store.GetMetricHistoryAsync(id, Ids.Require(metricKey, "metric_key"), cancellationToken);
    }

    private static void CheckMetric(in Metric metric)
    {
        KeyRules.ValidateMetricKey(metric.Key);
        CheckTimestamp(metric);
    }

    private static void CheckTimestamp(in Metric metric)
    {
        if (metric.Timestamp < 0)
        {
            throw KeelException.InvalidParameter(
                $"Got invalid timestamp {metric.Timestamp} for metric '{metric.Key}' (value={metric.Value}). Timestamp must be a nonnegative long (64-bit integer) ");
        }
    }

    private static void CheckParam(Param param)
    {
        KeyRules.ValidateParamKey(param.Key);
        if (param.Value is null)
        {
            throw KeelException.MissingParameter("value");
        }

        Limits.CheckLength("Param value", param.Value, RequestLimits.MaxParamValueLength);
    }

    private static void CheckRunTag(string? key, string? value)
    {
        KeyRules.ValidateTagKey(key);
        if (value is null)
        {
            throw KeelException.MissingParameter("value");
        }

        Limits.CheckLength("Tag value", value, RequestLimits.MaxRunTagValueLength);
    }

    private static void CheckExperimentTag(string? key, string? value)
    {
        Ids.Require(key, "key");
        KeyRules.ValidateTagKey(key);
        if (value is null)
        {
            throw KeelException.MissingParameter("value");
        }

        Limits.CheckLength("Tag value", value, RequestLimits.MaxExperimentTagValueLength);
    }

    private static void CheckDistinctParamKeys(IReadOnlyList<Param> @params)
    {
        var seen = new HashSet<string>(@params.Count, StringComparer.Ordinal);
        var duplicates = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var p in @params)
        {
            if (!seen.Add(p.Key))
            {
                duplicates.Add(p.Key);
            }
        }

        if (duplicates.Count > 0)
        {
            throw KeelException.InvalidParameter(
                $"Duplicate parameter keys have been submitted: [{string.Join(", ", duplicates.Select(d => $"'{d}'"))}]. Please ensure the request contains only one param value per param key.");
        }
    }
}
