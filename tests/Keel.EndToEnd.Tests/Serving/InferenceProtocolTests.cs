using System.Net;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>V2 and /invocations against a real server: answers match the model, headers are set, guard rails hold.</summary>
[Collection(ServerCollection.Name)]
public sealed class InferenceProtocolTests(ServerFixture fixture)
{
    private readonly ServingApi _api = new(fixture.Http);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task V2_and_invocations_answer_the_models_predictions_with_version_and_request_id()
    {
        var model = Unique("lin");
        var uri = await _api.RegisterLinearAsync(model, [0.5f, -1f, 2f], 0.25f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, uri);

        // V2: two rows, expected 0.5a - b + 2c + 0.25.
        var (status, json, response) = await _api.SendAsync(HttpMethod.Post, $"/v2/models/{name}/infer", """
            {"id": "req-1", "inputs": [
              {"name": "a", "shape": [2, 1], "datatype": "FP64", "data": [[1.0], [-0.5]]},
              {"name": "b", "shape": [2], "datatype": "FP64", "data": [2.0, 0.25]},
              {"name": "c", "shape": [2], "datatype": "FP32", "data": [3.0, 10.0]}]}
            """, new Dictionary<string, string> { ["x-request-id"] = "trace-42" });
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal($"{model}/1", response.Headers.GetValues("x-keel-model-version").Single());
            Assert.Equal("trace-42", response.Headers.GetValues("x-request-id").Single());
            Assert.Equal(name, (string?)json!["model_name"]);
            Assert.Equal("req-1", (string?)json["id"]);
            var data = json["outputs"]![0]!["data"]!.AsArray().Select(x => (double)x!).ToArray();
            Assert.Equal(4.75, data[0], 4);
            Assert.Equal(19.75, data[1], 4);
            // The model's output is [-1, 1]: two rows answer [2, 1], not [2].
            Assert.Equal([2, 1], json["outputs"]![0]!["shape"]!.AsArray().Select(d => (int)d!));
        }

        // MLflow scoring format, records and split.
        foreach (var body in new[]
        {
            """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1.0, 2.0, 3.0]]}}""",
            """{"dataframe_records": [{"a": 1.0, "b": 2.0, "c": 3.0}]}""",
        })
        {
            (status, json, response) = await _api.SendAsync(HttpMethod.Post, $"/endpoints/{name}/invocations", body);
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal($"{model}/1", response.Headers.GetValues("x-keel-model-version").Single());
                Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("x-request-id").Single()));
                var p = json!["predictions"]![0]!;
                Assert.Equal(4.75, p is JsonArray arr ? (double)arr[0]! : (double)p, 4);
            }
        }

        // Metadata from the signature, readiness, health.
        var meta = await _api.OkAsync(HttpMethod.Get, $"/v2/models/{name}");
        Assert.Equal(["a", "b", "c"], meta["inputs"]!.AsArray().Select(i => (string)i!["name"]!));
        Assert.Equal("FP64", (string?)meta["inputs"]![0]!["datatype"]);
        Assert.Equal(true, (bool?)(await _api.OkAsync(HttpMethod.Get, $"/v2/models/{name}/ready"))["ready"]);
        Assert.Equal(true, (bool?)(await _api.OkAsync(HttpMethod.Get, "/v2/health/live"))["live"]);
        Assert.Equal(true, (bool?)(await _api.OkAsync(HttpMethod.Get, "/v2/health/ready"))["ready"]);

        // Prometheus text with per-version counters.
        var metrics = await fixture.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains($"keel_serving_requests_total{{endpoint=\"{name}\",version=\"{model}/1\"", metrics, StringComparison.Ordinal);
        Assert.Contains("keel_prediction_log_dropped_total", metrics, StringComparison.Ordinal);
        Assert.Contains("keel_model_load_seconds", metrics, StringComparison.Ordinal);

        // The prediction log has the request by its id.
        var logDir = Path.Combine(fixture.Server.DataDir, "predictions", name);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(Directory.Exists(logDir) && Directory.EnumerateFiles(logDir).Any(f => File.ReadAllText(f).Contains("\"request_id\":\"trace-42\"", StringComparison.Ordinal))))
        {
            Assert.True(DateTime.UtcNow < deadline, "prediction log record for trace-42 not written");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Guard_rails_answer_404_400_413_and_429()
    {
        var uri = await _api.RegisterLinearAsync(Unique("lin"), [1f, 1f, 1f], 0f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, uri, new { limits = new { max_concurrency = 1, max_batch_rows = 100, timeout_ms = 10_000 } });

        var (status, json, r) = await _api.SendAsync(HttpMethod.Post, "/v2/models/no-such-endpoint/infer", """{"inputs": []}""");
        r.Dispose();
        Assert.Equal(HttpStatusCode.NotFound, status);

        (status, json, r) = await _api.SendAsync(HttpMethod.Post, $"/v2/models/{name}/infer", """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [1]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [1]}]}""");
        r.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'c'", (string?)json!["message"], StringComparison.Ordinal);

        (status, json, r) = await _api.SendAsync(HttpMethod.Post, $"/v2/models/{name}/infer", """{"inputs": [{"name": "a", "shape": [2], "datatype": "FP64", "data": [1]}]}""");
        r.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("input 'a'", (string?)json!["message"], StringComparison.Ordinal);

        var rows = string.Join(',', Enumerable.Repeat("1.0", 101));
        (status, _, r) = await _api.SendAsync(HttpMethod.Post, $"/v2/models/{name}/infer", $$"""{"inputs": [{"name": "a", "shape": [101], "datatype": "FP64", "data": [{{rows}}]}]}""");
        r.Dispose();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);

        // With one request allowed in flight, a burst of concurrent requests meets 429 with Retry-After.
        var body = $$"""{"inputs": [{"name": "a", "shape": [100], "datatype": "FP64", "data": [{{string.Join(',', Enumerable.Repeat("1.0", 100))}}]}, {"name": "b", "shape": [100], "datatype": "FP64", "data": [{{string.Join(',', Enumerable.Repeat("1.0", 100))}}]}, {"name": "c", "shape": [100], "datatype": "FP64", "data": [{{string.Join(',', Enumerable.Repeat("1.0", 100))}}]}]}""";
        var saw429 = false;
        for (var round = 0; round < 20 && !saw429; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => _api.SendAsync(HttpMethod.Post, $"/v2/models/{name}/infer", body)));
            foreach (var (s, _, resp) in results)
            {
                Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {(int)s}");
                if (s == HttpStatusCode.TooManyRequests)
                {
                    saw429 = true;
                    Assert.Equal("1", resp.Headers.GetValues("Retry-After").Single());
                }

                resp.Dispose();
            }
        }

        Assert.True(saw429, "no 429 under a burst against max_concurrency 1");
    }

    [Fact]
    public async Task A_version_that_fails_to_load_never_takes_traffic()
    {
        var model = Unique("lin");
        var uri = await _api.RegisterLinearAsync(model, [1f, 0f, 0f], 0f);
        var name = Unique("ep");
        await _api.CreateEndpointAsync(name, uri);

        var (status, json, r) = await _api.SendAsync(HttpMethod.Post, $"/api/2.0/keel/endpoints/{name}/rollout", new { model_uri = $"models:/{model}/99", steps = new[] { 50, 100 } });
        r.Dispose();
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)status} {json}");
        Assert.Contains("failed to load", (string?)json!["message"], StringComparison.Ordinal);

        var shown = await _api.ShowAsync(name);
        Assert.Null(shown["endpoint"]!["rollout"]);
        for (var i = 0; i < 20; i++)
        {
            var (s, p, v) = await _api.InferAsync(name, 2, 0, 0);
            Assert.Equal(HttpStatusCode.OK, s);
            Assert.Equal($"{model}/1", v);
            Assert.Equal(2, p!.Value, 4);
        }
    }
}
