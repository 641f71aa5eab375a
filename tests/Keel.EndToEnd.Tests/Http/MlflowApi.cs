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

    /// <summary>Sends a JSON body with any method (PATCH and DELETE carry bodies in the registry API).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object body, string? user = null)
    {
        using var request = new HttpRequestMessage(method, new Uri("/api/2.0/mlflow/" + path, UriKind.Relative));
        request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (user is not null)
        {
            request.Headers.Add("X-Keel-User", user);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await ReadAsync(response));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, body);

    public Task<(HttpStatusCode Status, JsonNode? Body)> DeleteAsync(string path, object body) => SendAsync(HttpMethod.Delete, path, body);

    /// <summary>GETs a path under the server root (not only /api/2.0/mlflow/) and asserts 200.</summary>
    public async Task<JsonNode> GetOkAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(new Uri(pathAndQuery.StartsWith('/') ? pathAndQuery : "/api/2.0/mlflow/" + pathAndQuery, UriKind.Relative));
        var json = await ReadAsync(response);
        return response.StatusCode == HttpStatusCode.OK
            ? json ?? new JsonObject()
            : throw new InvalidOperationException($"{pathAndQuery} answered {(int)response.StatusCode}: {json?.ToJsonString()}");
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
