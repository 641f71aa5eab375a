using System.Net;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// The inputs a sweep of 452 bad requests found answered with 500 or stored as garbage, one test
/// each, against a real server: each is now a 4xx that names the rule, and reading the state back
/// shows nothing changed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class InputRegressionTests(ServerFixture fixture)
{
    private readonly MlflowApi _api = new(fixture.Http);
    private readonly ServingApi _serving = new(fixture.Http);

    [Fact]
    public async Task A_filter_of_a_thousand_clauses_is_refused_naming_the_limit_in_every_search()
    {
        var experiment = await _api.CreateExperimentAsync();
        var run = await _api.CreateRunAsync(experiment);
        var clauses = string.Join(" AND ", Enumerable.Range(0, 1000).Select(i => $"tags.t{i} = 'x'"));

        var (status, body) = await _api.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, filter = clauses });
        AssertRefused(status, body, "at most 100 AND-ed comparisons");
        (status, body) = await _api.PostAsync("experiments/search", new { filter = clauses });
        AssertRefused(status, body, "at most 100 AND-ed comparisons");
        foreach (var search in new[] { "registered-models/search", "model-versions/search", "experiments/search" })
        {
            // ~20 KB of query string: answered by the handler (400 naming the limit), not by Kestrel's 414.
            (status, body) = await _api.GetAsync($"{search}?filter={Uri.EscapeDataString(clauses)}");
            AssertRefused(status, body, "at most 100 AND-ed comparisons");
        }

        // The limit itself still works.
        (status, body) = await _api.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, filter = string.Join(" AND ", Enumerable.Range(0, 100).Select(i => $"attributes.run_name != 'x{i}'")) });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(run, (string?)body!["runs"]![0]!["info"]!["run_id"]);
    }

    [Fact]
    public async Task Sixty_four_order_by_items_are_refused_naming_the_limit()
    {
        var experiment = await _api.CreateExperimentAsync();
        var orderBy = Enumerable.Range(0, 64).Select(i => $"metrics.m{i} DESC").ToArray();

        var (status, body) = await _api.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, order_by = orderBy });
        AssertRefused(status, body, "at most 20 order_by clauses");
        foreach (var search in new[] { "experiments/search", "registered-models/search", "model-versions/search" })
        {
            (status, body) = await _api.GetAsync(search + "?" + string.Join("&", Enumerable.Repeat("order_by=name", 64)));
            AssertRefused(status, body, "at most 20 order_by clauses");
        }
    }

    [Fact]
    public async Task Trailing_text_after_the_JSON_body_is_refused_and_nothing_is_created()
    {
        var name = "trailing-" + Guid.NewGuid().ToString("N");

        var (status, body) = await _api.PostAsync("experiments/create", $$"""{"name": "{{name}}"} xyz""");
        AssertRefused(status, body, "unexpected content after the JSON value");
        (status, body) = await _api.PostAsync("experiments/create", $$"""{"name": "{{name}}"}{"name": "{{name}}-2"}""");
        AssertRefused(status, body, "unexpected content after the JSON value");

        var (getStatus, _) = await _api.GetAsync("experiments/get-by-name?experiment_name=" + name);
        Assert.Equal(HttpStatusCode.NotFound, getStatus);

        // The hand-written log-batch reader refuses it too.
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        (status, body) = await _api.PostAsync("runs/log-batch", $$"""{"run_id": "{{run}}", "metrics": [{"key": "m", "value": 1, "timestamp": 1, "step": 0}]} junk""");
        AssertRefused(status, body, "unexpected content after the JSON value");
        Assert.Null((await _api.GetOkAsync("runs/get?run_id=" + run))["run"]!["data"]!["metrics"]);
    }

    [Fact]
    public async Task A_number_out_of_range_is_refused_while_the_quoted_infinity_is_accepted()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        var (status, body) = await _api.PostAsync("runs/log-metric", $$"""{"run_id": "{{run}}", "key": "m", "value": 1e400, "timestamp": 1, "step": 0}""");
        AssertRefused(status, body, "Invalid value 1e400 for parameter 'value' supplied");
        (status, body) = await _api.PostAsync("runs/log-batch", $$"""{"run_id": "{{run}}", "metrics": [{"key": "m", "value": -1e400, "timestamp": 1, "step": 0}]}""");
        AssertRefused(status, body, "outside the range of a 64-bit float");
        Assert.Null((await _api.GetOkAsync("runs/get?run_id=" + run))["run"]!["data"]!["metrics"]);

        // MLflow clients send infinities as the strings "Infinity" / "-Infinity", and NaN as "NaN".
        await _api.OkAsync("runs/log-batch", new { run_id = run, metrics = new object[] { new { key = "inf", value = "Infinity", timestamp = 1, step = 0 }, new { key = "nan", value = "NaN", timestamp = 1, step = 0 } } });
        await _api.OkAsync("runs/log-metric", new { run_id = run, key = "neg", value = "-Infinity", timestamp = 1, step = 0 });
        var metrics = (await _api.GetOkAsync("runs/get?run_id=" + run))["run"]!["data"]!["metrics"]!.AsArray()
            .ToDictionary(m => (string)m!["key"]!, m => m!["value"]!.ToJsonString());
        Assert.Equal("\"Infinity\"", metrics["inf"]);
        Assert.Equal("\"-Infinity\"", metrics["neg"]);
        Assert.Equal("\"NaN\"", metrics["nan"]);
    }

    [Fact]
    public async Task Lengths_are_counted_in_characters_so_3001_emoji_fit_a_param_value()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var fits = string.Concat(Enumerable.Repeat("\U0001F600", 3001));
        var tooLong = string.Concat(Enumerable.Repeat("\U0001F600", 6001));

        await _api.OkAsync("runs/log-parameter", new { run_id = run, key = "emoji", value = fits });
        var (status, body) = await _api.PostAsync("runs/log-parameter", new { run_id = run, key = "long", value = tooLong });
        AssertRefused(status, body, "had length 6001, which exceeded length limit of 6000");

        var @params = (await _api.GetOkAsync("runs/get?run_id=" + run))["run"]!["data"]!["params"]!.AsArray();
        var param = Assert.Single(@params);
        Assert.Equal("emoji", (string?)param!["key"]);
        Assert.Equal(fits, (string?)param["value"]);
    }

    [Fact]
    public async Task Malformed_scoring_requests_are_refused_naming_the_field_and_the_rule()
    {
        var model = "regress-" + Guid.NewGuid().ToString("N")[..8];
        var endpoint = "regress-" + Guid.NewGuid().ToString("N")[..8];
        await _serving.CreateEndpointAsync(endpoint, await _serving.RegisterLinearAsync(model, [1f, 1f, 1f], 0f));
        (string Body, string Message)[] cases =
        [
            ("""{"dataframe_split": {"columns": 5, "data": []}}""", "'dataframe_split.columns' must be a list of column names"),
            ("""{"dataframe_split": {"columns": ["a", "b", "c"], "data": {}}}""", "'dataframe_split.data' must be a list of rows"),
            ("""{"dataframe_records": {"a": 1}}""", "'dataframe_records' must be a list of records"),
            ("""{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[{"v": 1}, 2, 3]]}}""", "Column 'a' holds a JSON object in row 0"),
            ("""{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2, 3], [true, 2, 3]]}}""", "Column 'a' must be numeric"),
            ("""{"dataframe_records": [{"a": false, "b": true, "c": true}]}""", "Column 'a' must be numeric, but holds booleans"),
            ("""{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2, 3], [null, 2, 3]]}}""", "Column 'a' holds null in row 1"),
            ("""{"dataframe_records": [{"a": 1, "b": 2, "c": 3}, {"b": 2, "c": 3}]}""", "Column 'a' holds null in row 1"),
        ];
        foreach (var (body, message) in cases)
        {
            var (status, json, response) = await _serving.SendAsync(HttpMethod.Post, $"/endpoints/{endpoint}/invocations", body);
            using (response)
            {
                AssertRefused(status, json, message);
            }
        }

        (string Body, string Message)[] v2 =
        [
            ("""{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [null]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [1]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [1]}]}""", "holds null at position 0"),
            ("""{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [true]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [1]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [1]}]}""", "must hold numbers (FP64)"),
            ("""{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [1e400]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [1]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [1]}]}""", "outside the range of a 64-bit float"),
            ("""{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [1]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [1]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [1]}]} xyz""", "not valid JSON"),
        ];
        foreach (var (body, message) in v2)
        {
            var (status, json, response) = await _serving.SendAsync(HttpMethod.Post, $"/v2/models/{endpoint}/infer", body);
            using (response)
            {
                AssertRefused(status, json, message);
            }
        }

        // A well-formed request still scores: 1 + 2 + 3.
        var (okStatus, okJson, okResponse) = await _serving.SendAsync(HttpMethod.Post, $"/endpoints/{endpoint}/invocations", """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2, 3]]}}""");
        using (okResponse)
        {
            Assert.Equal(HttpStatusCode.OK, okStatus);
            var p = okJson!["predictions"]![0]!;
            Assert.Equal(6.0, p is JsonArray arr ? (double)arr[0]! : (double)p, 4);
        }
    }

    [Fact]
    public async Task A_long_GET_query_reaches_the_handler_and_is_answered_400_not_414()
    {
        // ~25 KB of arguments, three times Kestrel's default request line: the handler answers.
        var query = string.Join("&", Enumerable.Range(0, 1000).Select(i => $"experiment_id=id_{i:D8}"));
        var (status, body) = await _api.GetAsync("experiments/get?" + query);
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"answered {(int)status}");
        Assert.False(string.IsNullOrEmpty((string?)body!["message"]));

        var filter = Uri.EscapeDataString(string.Join(" AND ", Enumerable.Range(0, 101).Select(i => $"name != 'experiment-{i:D40}'")));
        (status, body) = await _api.GetAsync("experiments/search?filter=" + filter);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 100 AND-ed comparisons", (string?)body!["message"], StringComparison.Ordinal);

        var longName = new string('n', 200_000);
        (status, body) = await _api.GetAsync("registered-models/get?name=" + longName);
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"answered {(int)status}");
        Assert.False(string.IsNullOrEmpty((string?)body!["message"]));
    }

    [Fact]
    public async Task A_badly_framed_body_is_a_400_not_a_storage_fault()
    {
        // Kestrel reports broken chunked framing as BadHttpRequestException, which is also an IOException.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fixture.Server.BaseUri.Host, fixture.Server.BaseUri.Port);
        var stream = tcp.GetStream();
        var request = $"POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: {fixture.Server.BaseUri.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{{\"nam\r\nzz\r\nnot a chunk\r\n0\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var response = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("INVALID_PARAMETER_VALUE", response, StringComparison.Ordinal);
        Assert.DoesNotContain("IO_ERROR", response, StringComparison.Ordinal);
    }

    private static void AssertRefused(HttpStatusCode status, JsonNode? body, string message)
    {
        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400, got {(int)status}: {body?.ToJsonString()}");
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
        Assert.Contains(message, (string?)body["message"], StringComparison.Ordinal);
    }
}
