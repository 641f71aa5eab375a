using Keel.Application;
using Keel.Core.Errors;
using Keel.Core.Tracking;

namespace Keel.Application.Tests;

public sealed class TrackingServiceValidationTests
{
    private const string RunId = "710c68a4cc8d45c78e566492392f04af";
    private readonly RecordingTrackingStore _store = new();
    private readonly TrackingService _service;

    public TrackingServiceValidationTests()
    {
        _service = new TrackingService(_store, new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)));
    }

    [Fact]
    public async Task Bad_param_key_is_rejected_with_mlflow_wording()
    {
        var e = await Rejected(() => _service.LogParamAsync(RunId, "bad key!", "1"));
        Assert.Equal(
            "Invalid parameter name: 'bad key!'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).",
            e.Message);
    }

    [Theory]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData("/abs")]
    [InlineData("..")]
    [InlineData("trailing/")]
    public async Task Metric_key_that_is_not_a_normalised_path_is_rejected(string key)
    {
        var e = await Rejected(() => _service.LogMetricAsync(RunId, key, 1, 0, 0));
        Assert.StartsWith($"Invalid metric name: '{key}'.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tag_key_uses_tag_wording()
    {
        var e = await Rejected(() => _service.SetTagAsync(RunId, "a*b", "v"));
        Assert.StartsWith("Invalid tag name: 'a*b'.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_experiment_name_uses_mlflow_message()
    {
        var e = await Rejected(() => _service.CreateExperimentAsync(null, null, null));
        Assert.Equal(
            "Missing value for required parameter 'name'. See the API docs for more information about request parameters.", e.Message);
    }

    [Fact]
    public async Task Value_length_limits_apply_and_empty_values_are_allowed()
    {
        await Rejected(() => _service.LogParamAsync(RunId, "p", new string('x', 6001)));
        await Rejected(() => _service.SetTagAsync(RunId, "t", new string('x', 5001)));
        await Rejected(() => _service.LogParamAsync(RunId, new string('k', 251), "v"));

        await _service.LogParamAsync(RunId, "p", new string('x', 6000));
        await _service.LogParamAsync(RunId, "empty", string.Empty);
        Assert.Equal(["LogBatch", "LogBatch"], _store.Calls);
    }

    [Fact]
    public async Task Length_limits_count_characters_as_MLflow_does_not_UTF16_units()
    {
        // 3001 emoji are 6002 UTF-16 units but 3001 characters: within the 6000 of a param value.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 3001));
        await _service.LogParamAsync(RunId, "p", emoji);
        await _service.SetTagAsync(RunId, "t", string.Concat(Enumerable.Repeat("\U0001F600", 5000)));

        var e = await Rejected(() => _service.LogParamAsync(RunId, "q", string.Concat(Enumerable.Repeat("\U0001F600", 6001))));
        Assert.Contains("had length 6001, which exceeded length limit of 6000", e.Message, StringComparison.Ordinal);
        // The echoed value is cut at 250 characters without splitting an emoji in half.
        Assert.Contains("'" + string.Concat(Enumerable.Repeat("\U0001F600", 250)) + "...'", e.Message, StringComparison.Ordinal);
        Assert.Equal(["LogBatch", "LogBatch"], _store.Calls);
    }

    [Fact]
    public async Task Batch_limits_and_duplicate_params_are_rejected()
    {
        var metrics = Enumerable.Range(0, 1001).Select(i => new Metric("m", i, 0, i)).ToList();
        var e = await Rejected(() => _service.LogBatchAsync(RunId, metrics, null, null));
        Assert.Contains("at most 1000 metrics", e.Message, StringComparison.Ordinal);

        var tooMany = Enumerable.Range(0, 101).Select(i => new Param($"p{i}", "v")).ToList();
        await Rejected(() => _service.LogBatchAsync(RunId, null, tooMany, null));

        var total = Enumerable.Range(0, 950).Select(i => new Metric("m", i, 0, i)).ToList();
        var tags = Enumerable.Range(0, 51).Select(i => new Tag($"t{i}", "v")).ToList();
        await Rejected(() => _service.LogBatchAsync(RunId, total, null, tags));

        e = await Rejected(() => _service.LogBatchAsync(RunId, null, [new Param("a", "1"), new Param("a", "2")], null));
        Assert.Contains("Duplicate parameter keys have been submitted: ['a']", e.Message, StringComparison.Ordinal);

        await _service.LogBatchAsync(RunId, Enumerable.Range(0, 1000).Select(i => new Metric("m", double.NaN, 0, i)).ToList(), null, null);
        Assert.Equal(["LogBatch"], _store.Calls);
    }

    [Fact]
    public async Task Negative_metric_timestamp_and_missing_value_are_rejected()
    {
        await Rejected(() => _service.LogMetricAsync(RunId, "m", 1, -1, 0));
        var e = await Rejected(() => _service.LogMetricAsync(RunId, "m", null, 0, 0));
        Assert.Contains("'value'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("has space")]
    [InlineData("../etc")]
    public async Task Malformed_run_ids_are_rejected(string runId)
    {
        var e = await Rejected(() => _service.GetRunAsync(runId));
        Assert.Equal($"Invalid run ID: '{runId}'", e.Message);
    }

    [Fact]
    public async Task Missing_run_id_and_bad_experiment_id_are_rejected()
    {
        var e = await Rejected(() => _service.DeleteRunAsync(null));
        Assert.Contains("'run_id'", e.Message, StringComparison.Ordinal);
        await Rejected(() => _service.GetExperimentAsync("a/b"));
    }

    [Theory]
    [InlineData(50001L)]
    [InlineData(0L)]
    [InlineData(-5L)]
    public async Task Search_max_results_out_of_bounds_is_rejected(long maxResults)
    {
        await Rejected(() => _service.SearchRunsAsync(["0"], null, null, maxResults, null, null));
        var e = await Rejected(() => _service.SearchExperimentsAsync(null, null, null, maxResults, null));
        if (maxResults > 50000)
        {
            Assert.StartsWith("Invalid value 50001 for parameter 'max_results' supplied.", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_run_defaults_experiment_start_time_and_name_tag()
    {
        await _service.CreateRunAsync(null, null, "r1", null, [new Tag("a", "b")]);
        var run = _store.LastNewRun!;
        Assert.Equal("0", run.ExperimentId);
        Assert.Equal(1_700_000_000_000, run.StartTime);
        Assert.Equal(string.Empty, run.UserId);
        Assert.Contains(new Tag("mlflow.runName", "r1"), run.Tags);
    }

    [Fact]
    public async Task Create_run_generates_a_name_and_rejects_conflicting_names()
    {
        await _service.CreateRunAsync("1", "u", null, 5, null);
        Assert.False(string.IsNullOrEmpty(_store.LastNewRun!.RunName));
        Assert.Contains(_store.LastNewRun.Tags, t => t.Key == "mlflow.runName" && t.Value == _store.LastNewRun.RunName);

        await Rejected(() => _service.CreateRunAsync("1", "u", "a", 5, [new Tag("mlflow.runName", "b")]));
    }

    [Fact]
    public async Task Update_run_rejects_unknown_status()
    {
        await Rejected(() => _service.UpdateRunAsync(RunId, "DONE", null, null));
        await _service.UpdateRunAsync(RunId, "FINISHED", 10, null);
        Assert.Equal(["UpdateRun"], _store.Calls);
    }

    [Fact]
    public async Task Bulk_interval_validates_its_limits()
    {
        await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync([], "m", null, null, null));
        await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync(Enumerable.Range(0, 101).Select(i => $"r{i}").ToList(), "m", null, null, null));
        await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync([RunId], "m", null, null, 2501));
        await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync([RunId], "m", 1, null, 10));
        await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync([RunId], "m", 5, 1, 10));
        await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync([RunId], null, null, null, 10));
    }

    // MLflow's own reference cases for _get_sampled_steps_from_steps (tests/tracking/test_rest_tracking.py).
    [Theory]
    [InlineData(0, 10, 5, 0, 9, 1, new long[] { 0, 2, 4, 6, 8, 9 })]
    [InlineData(4, 8, 5, 0, 9, 1, new long[] { 4, 5, 6, 7, 8 })]
    [InlineData(0, 100, 5, 0, 100, 20, new long[] { 0, 20, 40, 60, 80, 100 })]
    [InlineData(0, 1000, 5, 0, 1000, 10, new long[] { 0, 200, 400, 600, 800, 1000 })]
    public async Task Bulk_interval_samples_steps_as_mlflow_does(long start, long end, int max, int first, int last, int every, long[] expected)
    {
        _store.Histories[RunId] = Enumerable.Range(0, ((last - first) / every) + 1).Select(i => new Metric("m", 1, 1, first + (i * every))).ToList();
        var sampled = await _service.GetMetricHistoryBulkIntervalAsync([RunId], "m", start, end, max);
        Assert.Equal(expected, sampled.Select(p => p.Metric.Step));
    }

    [Fact]
    public async Task Bulk_interval_samples_over_all_runs_and_keeps_each_runs_ends()
    {
        const string Other = "8a1d9c3e2b7f4e0d9c8b7a6f5e4d3c2b";
        _store.Histories[RunId] = Enumerable.Range(0, 10).Select(i => new Metric("m", 10, 1, i)).ToList();
        _store.Histories[Other] = Enumerable.Range(0, 20).Select(i => new Metric("m", 10, 1, i)).ToList();

        var sampled = await _service.GetMetricHistoryBulkIntervalAsync([Other, RunId], "m", null, null, 5);

        // Asked order, not sorted; steps chosen over the union of both runs' steps, plus 9 (the end of the short run).
        Assert.Equal(
            new[] { 0L, 4, 8, 9, 12, 16, 19 }.Select(s => (Other, s)).Concat(new[] { 0L, 4, 8, 9 }.Select(s => (RunId, s))),
            sampled.Select(p => (p.RunId, p.Metric.Step)));
    }

    [Fact]
    public async Task Bulk_interval_uses_mlflow_messages()
    {
        Assert.StartsWith("Missing value for required parameter 'run_ids'.", (await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync(null, "m", null, null, null))).Message, StringComparison.Ordinal);
        Assert.StartsWith("GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids.",
            (await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync(Enumerable.Range(0, 101).Select(i => $"r{i}").ToList(), "m", null, null, null))).Message, StringComparison.Ordinal);
        Assert.StartsWith("max_results must be between 1 and 2500.", (await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync([RunId], "m", null, null, 0))).Message, StringComparison.Ordinal);
        Assert.Equal("end_step must be greater than start_step. Found start_step=5 and end_step=1.",
            (await Rejected(() => _service.GetMetricHistoryBulkIntervalAsync([RunId], "m", 5, 1, 10))).Message);
    }

    [Fact]
    public async Task Bulk_history_orders_by_run_then_time_and_caps_the_total()
    {
        const string Other = "0a1d9c3e2b7f4e0d9c8b7a6f5e4d3c2b";
        _store.Histories[RunId] = [new("m", 12, 2, 3), new("m", 10, 1, 2), new("m", 12, 1, 3), new("m", 11, 1, 3)];
        _store.Histories[Other] = [new("m", 1, 5, 0)];

        var all = await _service.GetMetricHistoryBulkAsync([RunId, Other], "m", null);
        Assert.Equal(
            new (string, long, long, double)[] { (Other, 5, 0, 1), (RunId, 1, 2, 10), (RunId, 1, 3, 11), (RunId, 1, 3, 12), (RunId, 2, 3, 12) },
            all.Select(p => (p.RunId, p.Metric.Timestamp, p.Metric.Step, p.Metric.Value)));
        Assert.Equal(2, (await _service.GetMetricHistoryBulkAsync([RunId, Other], "m", 2)).Count);

        Assert.Equal("GetMetricHistoryBulk request must specify at least one run_id.", (await Rejected(() => _service.GetMetricHistoryBulkAsync([], "m", null))).Message);
        Assert.StartsWith("GetMetricHistoryBulk request cannot specify more than 100 run_ids.",
            (await Rejected(() => _service.GetMetricHistoryBulkAsync(Enumerable.Range(0, 101).Select(i => $"r{i}").ToList(), "m", null))).Message, StringComparison.Ordinal);
        Assert.Equal("GetMetricHistoryBulk request must specify a metric_key.", (await Rejected(() => _service.GetMetricHistoryBulkAsync([RunId], null, null))).Message);
    }

    [Fact]
    public async Task Log_inputs_requires_the_datasets_field_but_accepts_an_empty_list()
    {
        Assert.StartsWith("Missing value for required parameter 'datasets'.", (await Rejected(() => _service.LogInputsAsync(RunId, null))).Message, StringComparison.Ordinal);
        await _service.LogInputsAsync(RunId, []);
        Assert.Equal(["LogInputs"], _store.Calls);
    }

    [Fact]
    public async Task Dataset_search_takes_one_to_twenty_experiments()
    {
        Assert.Equal("SearchDatasets request must specify at least one experiment_id.", (await Rejected(() => _service.SearchDatasetsAsync([]))).Message);
        Assert.Equal("SearchDatasets request cannot specify more than 20 experiment_ids. Received 21 experiment_ids.",
            (await Rejected(() => _service.SearchDatasetsAsync(Enumerable.Range(0, 21).Select(i => $"{i}").ToList()))).Message);
        await _service.SearchDatasetsAsync(["1"]);
        Assert.Equal(["SearchDatasets"], _store.Calls);
    }

    [Fact]
    public async Task Log_model_appends_to_the_history_tag()
    {
        const string Model = """{"artifact_path":"model","flavors":{},"utc_time_created":"2024-01-01","run_id":"r"}""";
        await _service.LogModelAsync(RunId, Model);
        await _service.LogModelAsync(RunId, Model);
        var history = Assert.Single(_store.LoggedTags, t => t.Key == "mlflow.log-model.history");
        Assert.Equal($"[{Model},{Model}]", history.Value);

        await Rejected(() => _service.LogModelAsync(RunId, """{"artifact_path":"model"}"""));
        await Rejected(() => _service.LogModelAsync(RunId, "not json"));
    }

    [Fact]
    public async Task Dataset_inputs_require_their_fields()
    {
        var ok = new DatasetInput(new Dataset("d", "abc", "local", "/data", null, null), [new Tag("mlflow.data.context", "train")]);
        await _service.LogInputsAsync(RunId, [ok]);
        await Rejected(() => _service.LogInputsAsync(RunId, [ok with { Dataset = ok.Dataset with { Digest = new string('x', 37) } }]));
        await Rejected(() => _service.LogInputsAsync(RunId, [ok with { Dataset = ok.Dataset with { Name = string.Empty } }]));
        Assert.Equal(["LogInputs"], _store.Calls);
    }

    private async Task<KeelException> Rejected(Func<Task> call)
    {
        var before = _store.Calls.Count;
        var e = await Assert.ThrowsAsync<KeelException>(call);
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Equal(before, _store.Calls.Count);
        return e;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
