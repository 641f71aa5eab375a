using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// docs/openapi/keel.json is the reviewed contract of Keel's own API. Against a running server: it is
/// the document the server generates, every documented operation is served, every route the server
/// maps under /api/2.0/keel is documented (with its /ajax-api twin), and real answers of the main
/// operations validate against the documented schemas.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private const string Prefix = "/api/2.0/keel/";
    private const string UpdateVariable = "KEEL_UPDATE_OPENAPI";

    private readonly string _dir = TempDirs.Create("keel-openapi");
    private WebApplication? _app;
    private HttpClient _http = new();

    private static string CommittedPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
                {
                    return Path.Combine(dir.FullName, "docs", "openapi", "keel.json");
                }
            }

            throw new InvalidOperationException("The repository root (Keel.slnx) is not above the test binaries.");
        }
    }

    private static JsonObject Committed => JsonNode.Parse(File.ReadAllText(CommittedPath))!.AsObject();

    public async Task InitializeAsync()
    {
        _app = KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: _dir));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        TempDirs.TryDelete(_dir);
    }

    [Fact]
    public async Task The_committed_document_is_the_one_the_server_generates()
    {
        var served = JsonNode.Parse(await _http.GetStringAsync(new Uri("/openapi/keel.json", UriKind.Relative)))!;
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedPath)!);
            await File.WriteAllTextAsync(CommittedPath, served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return;
        }

        var difference = FirstDifference(Committed, served, "$");
        Assert.True(
            difference is null,
            $"docs/openapi/keel.json is not what the server generates ({difference}). If the API change is intended, review it and run "
            + $"`{UpdateVariable}=1 dotnet test tests/Keel.EndToEnd.Tests --filter FullyQualifiedName~OpenApiDocumentTests`, then commit the diff.");
    }

    [Fact]
    public void Every_route_under_the_keel_prefix_is_documented_with_its_ajax_twin()
    {
        var mapped = _app!.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (Method: m.ToUpperInvariant(), Path: "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'))))
            .ToHashSet();
        var api = mapped.Where(r => r.Path.StartsWith(Prefix, StringComparison.Ordinal)).ToHashSet();
        var ajax = mapped.Where(r => r.Path.StartsWith("/ajax-api/2.0/keel/", StringComparison.Ordinal))
            .Select(r => (r.Method, Path: "/api" + r.Path["/ajax-api".Length..]))
            .ToHashSet();

        Assert.NotEmpty(api);
        Assert.Equal(api.Order(), Documented().Order());
        Assert.Equal(api.Order(), ajax.Order());
    }

    [Fact]
    public async Task Every_documented_operation_is_served()
    {
        var name = await CreateEndpointAsync("served");
        // Deletes last: the other operations need the endpoint.
        foreach (var (method, path) in Documented().OrderBy(o => o.Method == "DELETE"))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{name}", name, StringComparison.Ordinal));
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await _http.SendAsync(request);
            // A documented operation that is not mapped answers 404 (no route) or 405 (other method).
            Assert.True(response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed), $"{method} {path} answered {(int)response.StatusCode}");
            Assert.True((int)response.StatusCode < 500, $"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Answers_of_the_main_operations_validate_against_the_documented_schemas()
    {
        var api = new ServingApi(_http);
        var v1 = await api.RegisterLinearAsync("openapi-model", [1f, 1f, 1f], 0f);
        var v2 = await api.RegisterLinearAsync("openapi-model", [1f, 1f, 1.5f], 0f);
        const string Ep = "/api/2.0/keel/endpoints";

        await CheckAsync(HttpMethod.Post, Ep, Ep, 200, new { name = "docs", model_uri = v1, environment = "staging" });
        await CheckAsync(HttpMethod.Get, Ep, Ep + "?environment=staging", 200);
        await CheckAsync(HttpMethod.Get, Ep + "/{name}", Ep + "/docs", 200);
        await CheckAsync(HttpMethod.Put, Ep + "/{name}/traffic", Ep + "/docs/traffic", 200, new { mode = "ab_test", model_uri = v2, weight = 20, sticky_key = "header:x-user" });
        await CheckAsync(HttpMethod.Put, Ep + "/{name}/traffic", Ep + "/docs/traffic", 200, new { mode = "single" });
        await CheckAsync(HttpMethod.Post, Ep + "/{name}/rollout", Ep + "/docs/rollout", 200, new { model_uri = v2, steps = new[] { 10, 100 }, hold_requests = 100_000 });
        await CheckAsync(HttpMethod.Post, Ep + "/{name}/rollout", Ep + "/docs/rollout", 409, new { model_uri = v2 });
        await CheckAsync(HttpMethod.Post, Ep + "/{name}/promote", Ep + "/docs/promote", 200, new { reason = "looks good" });
        await CheckAsync(HttpMethod.Post, Ep + "/{name}/rollback", Ep + "/docs/rollback", 200, new { });
        await CheckAsync(HttpMethod.Post, Ep + "/{name}/rollout", Ep + "/docs/rollout", 200, new { model_uri = v2, hold_seconds = 3600 });
        await CheckAsync(HttpMethod.Post, Ep + "/{name}/abort", Ep + "/docs/abort", 200, new { reason = "paused by the on-call" });
        await CheckAsync(HttpMethod.Get, Ep + "/{name}/events", Ep + "/docs/events", 200);
        await CheckAsync(HttpMethod.Get, Ep + "/{name}", Ep + "/missing", 404);
        await CheckAsync(HttpMethod.Post, Ep, Ep, 400, new { name = "no model" });
        await CheckAsync(HttpMethod.Delete, Ep + "/{name}", Ep + "/docs", 200, new { });
        await CheckAsync(HttpMethod.Get, "/api/2.0/keel/registry/events", "/api/2.0/keel/registry/events?name=openapi-model&max_results=5", 200);
        await CheckAsync(HttpMethod.Get, "/api/2.0/keel/registry/events", "/api/2.0/keel/registry/events?max_results=many", 400);
        await CheckAsync(HttpMethod.Get, "/api/2.0/keel/version", "/api/2.0/keel/version", 200);
    }

    [Fact]
    public void The_schema_check_rejects_an_answer_that_breaks_the_contract()
    {
        // The validator used above can fail: a missing required field and a wrong enum value are caught.
        var schema = SchemaOf(Committed, "Endpoint");
        var good = JsonNode.Parse("""
            {"name": "e", "environment": "dev", "mode": "single", "routes": [{"model_uri": "models:/m/1", "weight": 100, "role": "primary"}],
             "policy": {}, "limits": {}, "past_rollouts": [], "created_at": 1, "updated_at": 1}
            """)!;
        Assert.True(schema.Evaluate(JsonSerializer.SerializeToElement(good)).IsValid);
        var noRoutes = good.DeepClone().AsObject();
        noRoutes.Remove("routes");
        Assert.False(schema.Evaluate(JsonSerializer.SerializeToElement(noRoutes)).IsValid);
        var badMode = good.DeepClone().AsObject();
        badMode["mode"] = "Single";
        Assert.False(schema.Evaluate(JsonSerializer.SerializeToElement(badMode)).IsValid);
    }

    private static HashSet<(string Method, string Path)> Documented() =>
        Committed["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key != "parameters").Select(o => (Method: o.Key.ToUpperInvariant(), Path: p.Key)))
            .ToHashSet();

    private async Task<string> CreateEndpointAsync(string name)
    {
        var api = new ServingApi(_http);
        var model = await api.RegisterLinearAsync("openapi-" + name, [1f, 2f, 3f], 0f);
        await api.CreateEndpointAsync(name, model);

        // A dataset of the same name, so the dataset routes find one too.
        await _app!.Services.GetRequiredService<Keel.Core.Data.IDatasetStore>().AddVersionAsync(
            new Keel.Core.Data.NewDatasetVersion(name, new string('a', 64), "files", 1, 1), null, CancellationToken.None);
        // And an alert rule, so the rule routes find one.
        await _app.Services.GetRequiredService<Keel.Core.Backends.IMetadataBackend>().Alerts.PutRuleAsync(
            new Keel.Core.Monitoring.NewAlertRule(name, name, "error_rate", "5m", 0.1, null, Keel.Core.Monitoring.AlertDirection.Above, 1, 1, [], true, null), null, null, CancellationToken.None);
        // And a pipeline, so the pipeline routes find one.
        await new Keel.Application.Pipelines.PipelineService(_app.Services.GetRequiredService<Keel.Application.Pipelines.PipelineRunner>())
            .ApplyPipelineAsync($"name: {name}\nsteps: [{{name: a, type: noop}}]");
        return name;
    }

    /// <summary>Sends a request and validates the answer against the schema documented for its path, method and status.</summary>
    private async Task CheckAsync(HttpMethod method, string documentedPath, string url, int expectedStatus, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{method} {url} answered {(int)response.StatusCode}, expected {expectedStatus}: {text}");

        var document = Committed;
        var operation = document["paths"]?[documentedPath]?[method.Method.ToLowerInvariant()]
            ?? throw new Xunit.Sdk.XunitException($"{method} {documentedPath} is not documented");
        var content = operation["responses"]?[expectedStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?.AsObject()
            ?? throw new Xunit.Sdk.XunitException($"{method} {documentedPath} documents no {expectedStatus} answer");
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
        var documented = content[mediaType] ?? throw new Xunit.Sdk.XunitException(
            $"{method} {documentedPath} {expectedStatus} answered {mediaType}; documented: {string.Join(", ", content.Select(c => c.Key))}");

        var instance = mediaType == "application/json" ? JsonNode.Parse(text) : JsonValue.Create(text);
        var result = Build(document, documented["schema"]!).Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{method} {url} ({expectedStatus}) does not match its schema: {Errors(result)}\n{text}");
    }

    private static JsonSchema SchemaOf(JsonObject document, string component) =>
        Build(document, new JsonObject { ["$ref"] = "#/components/schemas/" + component });

    /// <summary>
    /// An OpenAPI 3.1 schema is JSON Schema 2020-12; its references point into components/schemas,
    /// which become $defs of a standalone schema.
    /// </summary>
    private static JsonSchema Build(JsonObject document, JsonNode schema)
    {
        const string From = "#/components/schemas/";
        var defs = document["components"]?["schemas"]?.ToJsonString().Replace(From, "#/$defs/", StringComparison.Ordinal) ?? "{}";
        var root = JsonNode.Parse(schema.ToJsonString().Replace(From, "#/$defs/", StringComparison.Ordinal))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = JsonNode.Parse(defs);
        return JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://keel.test/openapi/{Guid.NewGuid():N}.json"));
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    /// <summary>The path of the first difference between two JSON trees (object key order ignored), or null.</summary>
    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        return $"{path}.{key} is {(e.ContainsKey(key) ? "only in the committed document" : "only in the server's")}";
                    }

                    if (FirstDifference(e[key], a[key], $"{path}.{key}") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    if (i >= e.Count || i >= a.Count)
                    {
                        return $"{path} has {e.Count} items committed, {a.Count} served";
                    }

                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: committed {expected?.ToJsonString()}, served {actual?.ToJsonString()}";
        }
    }
}
