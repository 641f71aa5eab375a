using System.Net;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>MLflow tracking behaviours, black-box against a real `keel server` process.</summary>
[Collection(ServerCollection.Name)]
public sealed class TrackingApiTests(ServerFixture fixture)
{
    private readonly MlflowApi _api = new(fixture.Http);

    [Fact]
    public async Task Default_experiment_is_zero()
    {
        var (status, body) = await _api.GetAsync("experiments/get?experiment_id=0");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Default", (string?)body!["experiment"]!["name"]);
        Assert.Equal("mlflow-artifacts:/0", (string?)body["experiment"]!["artifact_location"]);
    }

    [Fact]
    public async Task Duplicate_experiment_is_400_resource_already_exists()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N");
        await _api.CreateExperimentAsync(name);
        var (status, body) = await _api.PostAsync("experiments/create", new { name });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", (string?)body!["error_code"]);
    }

    [Fact]
    public async Task Missing_required_name_names_the_field()
    {
        var (status, body) = await _api.PostAsync("experiments/create", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
        Assert.Contains("'name'", (string?)body["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Post_without_json_content_type_is_rejected(string contentType)
    {
        var (status, body) = await _api.PostAsync("runs/search", "{}", contentType);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
        Assert.Contains("Content-Type", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_400_and_stores_nothing()
    {
        var exp = await _api.CreateExperimentAsync();
        var (status, body) = await _api.PostAsync("runs/create", "{\"experiment_id\": \"" + exp + "\", \"start_time\": ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
        var search = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp } });
        Assert.Null(search["runs"]);
    }

    [Fact]
    public async Task Wrong_type_names_the_field()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var (status, body) = await _api.PostAsync("runs/log-metric", "{\"run_id\": \"" + run + "\", \"key\": \"m\", \"value\": true, \"timestamp\": 1}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("value", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_run_is_404_with_mlflow_wording()
    {
        var (status, body) = await _api.GetAsync("runs/get?run_id=deadbeef");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string?)body!["error_code"]);
        Assert.Equal("Run with id=deadbeef not found", (string?)body["message"]);
    }

    [Fact]
    public async Task Empty_search_is_empty_object()
    {
        var exp = await _api.CreateExperimentAsync();
        var body = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp } });
        Assert.Equal("{}", body.ToJsonString());
    }

    [Fact]
    public async Task Run_has_both_ids_and_proxied_artifact_uri()
    {
        var exp = await _api.CreateExperimentAsync();
        var created = await _api.OkAsync("runs/create", new { experiment_id = exp, start_time = 5L });
        var info = created["run"]!["info"]!;
        Assert.Equal((string?)info["run_id"], (string?)info["run_uuid"]);
        Assert.Equal($"mlflow-artifacts:/{exp}/{info["run_id"]}/artifacts", (string?)info["artifact_uri"]);
        Assert.False(string.IsNullOrEmpty((string?)info["run_name"]));
    }

    [Fact]
    public async Task Nan_and_infinity_travel_as_strings_and_int64_accepts_strings()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        await _api.OkAsync("runs/log-batch", JsonNode.Parse($$"""
            {"run_id": "{{run}}", "metrics": [
              {"key": "a", "value": "NaN", "timestamp": "10", "step": "1"},
              {"key": "b", "value": "Infinity", "timestamp": 10, "step": 0},
              {"key": "c", "value": "-Infinity", "timestamp": 10}]}
            """)!);
        var (_, body) = await _api.GetAsync($"runs/get?run_id={run}");
        var metrics = body!["run"]!["data"]!["metrics"]!.AsArray().ToDictionary(m => (string)m!["key"]!, m => m!["value"]!.ToJsonString());
        Assert.Equal("\"NaN\"", metrics["a"]);
        Assert.Equal("\"Infinity\"", metrics["b"]);
        Assert.Equal("\"-Infinity\"", metrics["c"]);
        var (_, hist) = await _api.GetAsync($"metrics/get-history?run_id={run}&metric_key=a");
        Assert.Equal(10, (long)hist!["metrics"]![0]!["timestamp"]!);
        Assert.Equal(1, (long)hist["metrics"]![0]!["step"]!);
    }

    [Fact]
    public async Task Params_are_immutable_and_a_failed_batch_stores_nothing()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        await _api.OkAsync("runs/log-parameter", new { run_id = run, key = "lr", value = "0.1" });
        await _api.OkAsync("runs/log-parameter", new { run_id = run, key = "lr", value = "0.1" });
        var (status, body) = await _api.PostAsync("runs/log-batch", new
        {
            run_id = run,
            metrics = new[] { new { key = "m", value = 1.0, timestamp = 1L, step = 0L } },
            @params = new[] { new { key = "lr", value = "0.2" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
        var (_, got) = await _api.GetAsync($"runs/get?run_id={run}");
        Assert.Null(got!["run"]!["data"]!["metrics"]);
        Assert.Equal("0.1", (string?)got["run"]!["data"]!["params"]![0]!["value"]);
    }

    [Theory]
    [InlineData("bad key!")]
    [InlineData("../up")]
    [InlineData("/abs")]
    [InlineData("")]
    public async Task Invalid_param_keys_are_rejected(string key)
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var (status, body) = await _api.PostAsync("runs/log-parameter", new { run_id = run, key, value = "v" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
    }

    [Fact]
    public async Task Log_batch_limits_are_enforced()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var tooMany = Enumerable.Range(0, 1001).Select(i => new { key = "m", value = 1.0, timestamp = (long)i, step = 0L }).ToArray();
        var (status, body) = await _api.PostAsync("runs/log-batch", new { run_id = run, metrics = tooMany });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("1000", (string?)body!["message"], StringComparison.Ordinal);

        var tooManyParams = Enumerable.Range(0, 101).Select(i => new { key = "p" + i, value = "v" }).ToArray();
        (status, _) = await _api.PostAsync("runs/log-batch", new { run_id = run, @params = tooManyParams });
        Assert.Equal(HttpStatusCode.BadRequest, status);

        var longValue = new string('x', 6001);
        (status, _) = await _api.PostAsync("runs/log-parameter", new { run_id = run, key = "long", value = longValue });
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Oversized_log_batch_body_is_rejected_and_stores_nothing()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        // Under the 1000-metric limit but over MLflow's 1 MB request-size limit.
        var tags = Enumerable.Range(0, 100).Select(i => new { key = "t" + i, value = new string('x', 4990) }).ToArray();
        var metrics = Enumerable.Range(0, 1000).Select(i => new { key = "a-rather-long-metric-name-" + (i % 7), value = i * 1.5, timestamp = 1_700_000_000_000L + i, step = (long)i }).ToArray();
        var (status, body) = await _api.PostAsync("runs/log-batch", new { run_id = run, metrics, tags });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
        var (_, got) = await _api.GetAsync($"runs/get?run_id={run}");
        Assert.Null(got!["run"]!["data"]!["metrics"]);
    }

    [Fact]
    public async Task Deleted_run_refuses_writes_until_restored()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        await _api.OkAsync("runs/delete", new { run_id = run });
        var (status, body) = await _api.PostAsync("runs/set-tag", new { run_id = run, key = "t", value = "v" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("active", (string?)body!["message"], StringComparison.Ordinal);
        await _api.OkAsync("runs/restore", new { run_id = run });
        await _api.OkAsync("runs/set-tag", new { run_id = run, key = "t", value = "v" });
    }

    [Fact]
    public async Task Search_filters_orders_and_pages_like_mlflow()
    {
        var exp = await _api.CreateExperimentAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var run = await _api.CreateRunAsync(exp, $"run-{i}");
            ids.Add(run);
            var metrics = i == 4 ? Array.Empty<object>() : [new { key = "acc", value = i == 3 ? double.NaN : i / 10.0, timestamp = 1L, step = 0L }];
            await _api.OkAsync("runs/log-batch", JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new { run_id = run, metrics, @params = new[] { new { key = "p", value = i % 2 == 0 ? "Even" : "odd" } } },
                new System.Text.Json.JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }))!);
        }

        var desc = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, order_by = new[] { "metrics.acc DESC" } });
        var order = desc["runs"]!.AsArray().Select(r => (string)r!["info"]!["run_name"]!).ToList();
        // DESC: NaN first, then numbers descending, runs without the metric last.
        Assert.Equal(["run-3", "run-2", "run-1", "run-0", "run-4"], order);

        var asc = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, order_by = new[] { "metrics.acc ASC" } });
        Assert.Equal(["run-0", "run-1", "run-2", "run-3", "run-4"], asc["runs"]!.AsArray().Select(r => (string)r!["info"]!["run_name"]!).ToList());

        var like = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, filter = "params.p LIKE 'even'" });
        Assert.Null(like["runs"]);
        var ilike = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, filter = "params.p ILIKE 'even'" });
        Assert.Equal(3, ilike["runs"]!.AsArray().Count);

        var numeric = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, filter = "metrics.acc > 0.05 and params.p = 'Even'" });
        Assert.Equal("run-2", (string?)numeric["runs"]![0]!["info"]!["run_name"]);
        Assert.Single(numeric["runs"]!.AsArray());

        var inList = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, filter = $"attributes.run_id IN ('{ids[0]}', '{ids[1]}')" });
        Assert.Equal(2, inList["runs"]!.AsArray().Count);

        var page1 = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, max_results = 2, order_by = new[] { "attributes.run_name ASC" } });
        Assert.Equal(2, page1["runs"]!.AsArray().Count);
        var token = (string?)page1["next_page_token"];
        Assert.NotNull(token);
        var page2 = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, max_results = 2, order_by = new[] { "attributes.run_name ASC" }, page_token = token });
        var page3 = await _api.OkAsync("runs/search", new { experiment_ids = new[] { exp }, max_results = 2, order_by = new[] { "attributes.run_name ASC" }, page_token = (string?)page2["next_page_token"] });
        Assert.Single(page3["runs"]!.AsArray());
        Assert.Null(page3["next_page_token"]);
        Assert.Equal("run-4", (string?)page3["runs"]![0]!["info"]!["run_name"]);
    }

    [Theory]
    [InlineData("{\"filter\": \"metrics.x >> 1\"}", "Invalid comparator")]
    [InlineData("{\"order_by\": [\"foo.bar DESC\"]}", "Invalid entity type 'foo'")]
    [InlineData("{\"max_results\": 50001}", "max_results")]
    [InlineData("{\"filter\": \"metrics.a > 1 OR metrics.b > 1\"}", "")]
    [InlineData("{\"page_token\": \"not-a-token\"}", "page token")]
    public async Task Bad_searches_are_400(string body, string fragment)
    {
        var (status, json) = await _api.PostAsync("runs/search", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)json!["error_code"]);
        Assert.Contains(fragment, (string?)json["message"], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ajax_api_twin_answers_the_same()
    {
        using var response = await fixture.Http.GetAsync(new Uri("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Default\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_version_are_plain_text()
    {
        Assert.Equal("OK", await fixture.Http.GetStringAsync(new Uri("/health", UriKind.Relative)));
        var version = await fixture.Http.GetStringAsync(new Uri("/version", UriKind.Relative));
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
    }

    [Fact]
    public async Task Concurrent_batches_to_one_run_lose_no_point()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        const int clients = 8;
        const int batches = 10;
        await Parallel.ForEachAsync(Enumerable.Range(0, clients), async (c, _) =>
        {
            for (var b = 0; b < batches; b++)
            {
                var metrics = Enumerable.Range(0, 100).Select(i => new { key = "loss", value = (double)i, timestamp = 1L, step = (long)(((c * batches) + b) * 100 + i) }).ToArray();
                await _api.OkAsync("runs/log-batch", new { run_id = run, metrics });
            }
        });
        var (_, hist) = await _api.GetAsync($"metrics/get-history?run_id={run}&metric_key=loss");
        Assert.Equal(clients * batches * 100, hist!["metrics"]!.AsArray().Count);
    }
}
