using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Client;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.ML.Repository;
using Keel.ML.Tests;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>Black-box calls to the serving API and the inference protocols, plus model registration.</summary>
public sealed class ServingApi(HttpClient http)
{
    /// <summary>
    /// For tests whose subject is promotion or resumption, not latency: on a CPU-starved test
    /// machine the p99 of a few dozen requests is noise, so its limit is widened here. Latency
    /// breaches have their own test with an injected slow version.
    /// </summary>
    public static readonly object PromotionPolicy = new { p99_latency_slack_ms = 2000.0 };

    private const string Columns = """[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}, {"type": "double", "name": "c", "required": true}]""";

    public HttpClient Http { get; } = http;

    /// <summary>Registers an ONNX linear regressor y = w·(a, b, c) + bias as a new version; returns its models:/ URI.</summary>
    public Task<string> RegisterLinearAsync(string name, float[] w, float bias, string? signatureColumns = null) =>
        RegisterOnnxAsync(name, OnnxModelBuilder.LinearRegressor(w, bias), signatureColumns);

    /// <summary>Same answers as the linear model, but every request costs milliseconds of matrix work.</summary>
    public Task<string> RegisterSlowAsync(string name, float[] w, float bias) =>
        RegisterOnnxAsync(name, OnnxModelBuilder.SlowRegressor(w, bias, layers: 400, width: 1024), null);

    private async Task<string> RegisterOnnxAsync(string name, byte[] onnx, string? signatureColumns)
    {
        var dir = TempDirs.Create("keel-serving-model");
        try
        {
            MlflowFixtures.WriteModelDirectory(dir, onnx, MlflowFixtures.RegressorMlModel(signatureColumns ?? Columns));
            using var client = new KeelClient(Http.BaseAddress!);
            var run = await client.StartRunAsync(await client.GetOrCreateExperimentAsync("serving-e2e"), "model");
            var logged = await client.LogModelAsync(run.Info.RunId, dir, registeredModelName: name);
            return $"models:/{name}/{logged.Version!.Version}";
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, object? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            json = JsonNode.Parse(text);
        }

        return (response.StatusCode, json, response);
    }

    public async Task<JsonNode> OkAsync(HttpMethod method, string path, object? body = null)
    {
        var (status, json, response) = await SendAsync(method, path, body);
        using (response)
        {
            return status == HttpStatusCode.OK ? json ?? new JsonObject() : throw new InvalidOperationException($"{method} {path} answered {(int)status}: {json?.ToJsonString()}");
        }
    }

    public Task<JsonNode> CreateEndpointAsync(string name, string modelUri, object? extra = null) =>
        OkAsync(HttpMethod.Post, "/api/2.0/keel/endpoints", Merge(new { name, model_uri = modelUri, environment = "staging" }, extra));

    public Task<JsonNode> ShowAsync(string name) => OkAsync(HttpMethod.Get, "/api/2.0/keel/endpoints/" + name);

    /// <summary>One single-row V2 inference; returns the status, the prediction and the serving version.</summary>
    public async Task<(HttpStatusCode Status, double? Prediction, string? Version)> InferAsync(string endpoint, double a, double b, double c, IDictionary<string, string>? headers = null)
    {
        var body = string.Create(System.Globalization.CultureInfo.InvariantCulture, $$"""{"inputs":[{"name":"a","shape":[1],"datatype":"FP64","data":[{{a}}]},{"name":"b","shape":[1],"datatype":"FP64","data":[{{b}}]},{"name":"c","shape":[1],"datatype":"FP64","data":[{{c}}]}]}""");
        var (status, json, response) = await SendAsync(HttpMethod.Post, $"/v2/models/{endpoint}/infer", body, headers);
        using (response)
        {
            var version = response.Headers.TryGetValues("x-keel-model-version", out var v) ? v.First() : null;
            double? prediction = status == HttpStatusCode.OK ? (double)json!["outputs"]![0]!["data"]![0]! : null;
            return (status, prediction, version);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the endpoint, driving traffic meanwhile when asked.</summary>
    public async Task<JsonNode> WaitForAsync(string name, Func<JsonNode, bool> condition, TimeSpan timeout, bool driveTraffic = false, bool tolerateErrors = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        var rnd = new Random(1);
        while (true)
        {
            var shown = await ShowAsync(name);
            if (condition(shown))
            {
                return shown;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Endpoint {name} did not reach the expected state: {shown.ToJsonString()}");
            }

            if (driveTraffic)
            {
                for (var i = 0; i < 20; i++)
                {
                    var (status, _, _) = await InferAsync(name, rnd.NextDouble(), rnd.NextDouble(), rnd.NextDouble());
                    if (status != HttpStatusCode.OK && !tolerateErrors)
                    {
                        throw new InvalidOperationException($"inference failed with {(int)status}");
                    }
                }
            }
            else
            {
                await Task.Delay(50);
            }
        }
    }

    public static string? RolloutState(JsonNode shown) => (string?)shown["endpoint"]?["rollout"]?["state"];

    private static JsonObject Merge(object a, object? b)
    {
        var o = JsonSerializer.SerializeToNode(a)!.AsObject();
        if (b is not null)
        {
            foreach (var (k, v) in JsonSerializer.SerializeToNode(b)!.AsObject())
            {
                o[k] = v?.DeepClone();
            }
        }

        return o;
    }
}
