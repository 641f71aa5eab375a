using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>The ajax-api routes MLflow's UI calls outside the protobuf RPCs, against a real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class UiRouteTests(ServerFixture fixture)
{
    private const string Ajax = "/ajax-api/2.0/mlflow/";
    private readonly MlflowApi _api = new(fixture.Http);

    [Fact]
    public async Task History_bulk_orders_by_run_then_timestamp_step_and_value()
    {
        var exp = await _api.CreateExperimentAsync();
        var (a, b) = (await _api.CreateRunAsync(exp), await _api.CreateRunAsync(exp));
        foreach (var (ts, step, value) in new[] { (2, 3, 12.0), (1, 3, 12.0), (1, 2, 10.0), (1, 3, 11.0) })
        {
            await _api.OkAsync("runs/log-metric", new { run_id = a, key = "m", value, timestamp = ts, step });
            await _api.OkAsync("runs/log-metric", new { run_id = b, key = "m", value = value + 1, timestamp = ts, step });
        }

        var both = await GetAsync($"metrics/get-history-bulk?run_id={a}&run_id={b}&metric_key=m");
        var expected = new[] { (1L, 2L, 10.0), (1, 3, 11), (1, 3, 12), (2, 3, 12) };
        var (first, second) = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
        var points = both["metrics"]!.AsArray().Select(p => ((string)p!["run_id"]!, (long)p["timestamp"]!, (long)p["step"]!, (double)p["value"]!)).ToList();
        Assert.Equal(
            expected.Select(e => (first, e.Item1, e.Item2, e.Item3 + (first == b ? 1 : 0)))
                .Concat(expected.Select(e => (second, e.Item1, e.Item2, e.Item3 + (second == b ? 1 : 0)))),
            points);

        var capped = await GetAsync($"metrics/get-history-bulk?run_id={a}&metric_key=m&max_results=2");
        Assert.Equal(2, capped["metrics"]!.AsArray().Count);
        var none = await GetAsync($"metrics/get-history-bulk?run_id={a}&metric_key=other");
        Assert.Empty(none["metrics"]!.AsArray());
    }

    [Theory]
    [InlineData("metrics/get-history-bulk?metric_key=key", "GetMetricHistoryBulk request must specify at least one run_id")]
    [InlineData("metrics/get-history-bulk?run_id=123", "GetMetricHistoryBulk request must specify a metric_key")]
    [InlineData("metrics/get-history-bulk-interval?metric_key=key", "Missing value for required parameter 'run_ids'.")]
    [InlineData("metrics/get-history-bulk-interval?run_ids=123&metric_key=key&max_results=0", "max_results must be between 1 and 2500")]
    [InlineData("metrics/get-history-bulk-interval?run_ids=123&metric_key=", "Missing value for required parameter 'metric_key'")]
    [InlineData("metrics/get-history-bulk-interval?run_ids=123&metric_key=key&start_step=1&end_step=0", "end_step must be greater than start_step. ")]
    [InlineData("metrics/get-history-bulk-interval?run_ids=123&metric_key=key&start_step=1", "If either start step or end step are specified, both must be specified.")]
    public async Task History_reads_reject_bad_requests_with_mlflow_wording(string pathAndQuery, string message)
    {
        using var response = await fixture.Http.GetAsync(new Uri(Ajax + pathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body["error_code"]);
        Assert.Contains(message, (string?)body["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics/get-history-bulk", "run_id", "GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 1000 run_ids.")]
    [InlineData("metrics/get-history-bulk-interval", "run_ids", "GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 1000 run_ids.")]
    public async Task A_thousand_run_ids_get_mlflows_400_not_a_bare_414(string path, string key, string message)
    {
        var query = string.Join('&', Enumerable.Range(0, 1000).Select(i => $"{key}=id_{i}")) + "&metric_key=key";
        using var response = await fixture.Http.GetAsync(new Uri($"{Ajax}{path}?{query}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, (string?)(await response.Content.ReadFromJsonAsync<JsonNode>())!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_interval_samples_steps_across_runs_in_the_order_asked()
    {
        var exp = await _api.CreateExperimentAsync();
        var (shortRun, longRun) = (await _api.CreateRunAsync(exp), await _api.CreateRunAsync(exp));
        await _api.OkAsync("runs/log-batch", new { run_id = shortRun, metrics = Enumerable.Range(0, 10).Select(i => new { key = "m", value = 10.0, timestamp = 1, step = i }) });
        await _api.OkAsync("runs/log-batch", new { run_id = longRun, metrics = Enumerable.Range(0, 20).Select(i => new { key = "m", value = 10.0, timestamp = 1, step = i }) });

        var one = await GetAsync($"metrics/get-history-bulk-interval?run_ids={shortRun}&metric_key=m&max_results=5");
        Assert.Equal([0L, 2, 4, 6, 8, 9], one["metrics"]!.AsArray().Select(p => (long)p!["step"]!));

        var window = await GetAsync($"metrics/get-history-bulk-interval?run_ids={shortRun}&metric_key=m&start_step=0&end_step=4&max_results=5");
        Assert.Equal([0L, 1, 2, 3, 4], window["metrics"]!.AsArray().Select(p => (long)p!["step"]!));

        var both = await GetAsync($"metrics/get-history-bulk-interval?run_ids={longRun}&run_ids={shortRun}&metric_key=m&max_results=5");
        Assert.Equal(
            new[] { 0L, 4, 8, 9, 12, 16, 19 }.Select(s => (longRun, s)).Concat(new[] { 0L, 4, 8, 9 }.Select(s => (shortRun, s))),
            both["metrics"]!.AsArray().Select(p => ((string)p!["run_id"]!, (long)p["step"]!)));
    }

    [Fact]
    public async Task Dataset_search_lists_each_dataset_with_its_context()
    {
        var exp = await _api.CreateExperimentAsync();
        var run = await _api.CreateRunAsync(exp);
        await _api.OkAsync("runs/log-inputs", new
        {
            run_id = run,
            datasets = new object[]
            {
                new { dataset = new { name = "name1", digest = "digest1", source_type = "local", source = "s" }, tags = new[] { new { key = "mlflow.data.context", value = "training" } } },
                new { dataset = new { name = "name2", digest = "digest2", source_type = "local", source = "s" } },
            },
        });

        var found = await PostAsync("experiments/search-datasets", new { experiment_ids = new[] { exp } });
        Assert.Equal(HttpStatusCode.OK, found.Status);
        Assert.Equal(
            """[{"experiment_id":"EXP","name":"name1","digest":"digest1","context":"training"},{"experiment_id":"EXP","name":"name2","digest":"digest2","context":null}]""".Replace("EXP", exp, StringComparison.Ordinal),
            found.Body!["dataset_summaries"]!.ToJsonString());

        var empty = await PostAsync("experiments/search-datasets", new { experiment_ids = new[] { "0" } });
        Assert.Empty(empty.Body!["dataset_summaries"]!.AsArray());

        var missing = await PostAsync("experiments/search-datasets", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("SearchDatasets request must specify at least one experiment_id.", (string?)missing.Body!["message"]);
        var tooMany = await PostAsync("experiments/search-datasets", new { experiment_ids = Enumerable.Range(0, 21).Select(i => $"{i}") });
        Assert.StartsWith("SearchDatasets request cannot specify more than 20 experiment_ids.", (string?)tooMany.Body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promptlab_run_is_recorded_finished_with_its_evaluation_table()
    {
        var exp = await _api.CreateExperimentAsync();
        var (status, body) = await PostAsync("runs/create-promptlab-run", new
        {
            experiment_id = exp,
            run_name = "my_run_name",
            prompt_template = "my_prompt_template",
            prompt_parameters = new[] { new { key = "my_key", value = "my_value" } },
            model_route = "my_route",
            model_parameters = new[] { new { key = "temperature", value = "0.1" } },
            model_input = "my_input",
            model_output = "my_output",
            model_output_parameters = new[] { new { key = "latency", value = "100" } },
            mlflow_version = "1.0.0",
            user_id = "username",
            start_time = 456,
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var run = body!["run"]!;
        Assert.Equal("my_run_name", (string?)run["info"]!["run_name"]);
        Assert.Equal("username", (string?)run["info"]!["user_id"]);
        Assert.Equal("FINISHED", (string?)run["info"]!["status"]);
        Assert.Equal(456, (long)run["info"]!["start_time"]!);
        var @params = run["data"]!["params"]!.AsArray().Select(p => ((string)p!["key"]!, (string)p["value"]!)).ToList();
        Assert.Contains(("model_route", "my_route"), @params);
        Assert.Contains(("prompt_template", "my_prompt_template"), @params);
        Assert.Contains(("temperature", "0.1"), @params);
        var tags = run["data"]!["tags"]!.AsArray().Select(p => ((string)p!["key"]!, (string)p["value"]!)).ToList();
        Assert.Contains(("mlflow.runSourceType", "PROMPT_ENGINEERING"), tags);
        Assert.Contains(("mlflow.loggedArtifacts", """[{"path": "eval_results_table.json", "type": "table"}]"""), tags);

        var artifactRoot = ((string)run["info"]!["artifact_uri"]!)["mlflow-artifacts:".Length..].Trim('/');
        var table = await fixture.Http.GetStringAsync(new Uri($"/api/2.0/mlflow-artifacts/artifacts/{artifactRoot}/eval_results_table.json", UriKind.Relative));
        Assert.Equal("""{"columns":["my_key","prompt","output","latency"],"data":[["my_value","my_input","my_output","100"]]}""", table);
    }

    [Fact]
    public async Task Promptlab_run_names_the_first_missing_field()
    {
        var (status, body) = await PostAsync("runs/create-promptlab-run", new { experiment_id = "123", prompt_template = "t" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("CreatePromptlabRun request must specify prompt_parameters.", (string?)body!["message"]);
    }

    [Fact]
    public async Task Gateway_proxy_without_a_target_answers_as_an_empty_gateway()
    {
        var (status, body) = await PostAsync("gateway-proxy", new { });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"endpoints":[]}""", body!.ToJsonString());
        var get = await GetAsync("gateway-proxy?gateway_path=api/2.0/endpoints/");
        Assert.Empty(get["endpoints"]!.AsArray());
    }

    private async Task<JsonNode> GetAsync(string pathAndQuery) => await _api.GetOkAsync(Ajax + pathAndQuery);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object body)
    {
        using var response = await fixture.Http.PostAsJsonAsync(new Uri(Ajax + path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
