using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>Raw JSON calls as an MLflow client makes them, for black-box tests.</summary>
public sealed class MlflowApi(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string json, string contentType = "application/json")
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await Http.PostAsync(new Uri("/api/2.0/mlflow/" + path, UriKind.Relative), content);
        return (response.StatusCode, await ReadAsync(response));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object body) =>
        PostAsync(path, JsonSerializer.Serialize(body));

    public async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(new Uri("/api/2.0/mlflow/" + pathAndQuery, UriKind.Relative));
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>POSTs and asserts 200, returning the body.</summary>
    public async Task<JsonNode> OkAsync(string path, object body)
    {
        var (status, json) = await PostAsync(path, body);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{path} answered {(int)status}: {json?.ToJsonString()}");
        }

        return json!;
    }

    public async Task<string> CreateExperimentAsync(string? name = null) =>
        (string)(await OkAsync("experiments/create", new { name = name ?? "exp-" + Guid.NewGuid().ToString("N") }))["experiment_id"]!;

    public async Task<string> CreateRunAsync(string experimentId, string? runName = null) =>
        (string)(await OkAsync("runs/create", new { experiment_id = experimentId, run_name = runName, start_time = 1_700_000_000_000L }))["run"]!["info"]!["run_id"]!;

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/json" || text.Length == 0)
        {
            return null;
        }

        return JsonNode.Parse(text);
    }
}
