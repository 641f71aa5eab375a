using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>gateway-proxy with MLFLOW_DEPLOYMENTS_TARGET set: a stand-in gateway in this process, a real server.</summary>
public sealed class GatewayProxyTests : IAsyncLifetime
{
    private const string Proxy = "/ajax-api/2.0/mlflow/gateway-proxy";
    private readonly HttpClient _http = new();
    private WebApplication? _gateway;
    private KeelServerProcess? _server;

    public async Task InitializeAsync()
    {
        _gateway = WebApplication.CreateSlimBuilder().Build();
        _gateway.Urls.Add("http://127.0.0.1:0");
        _gateway.MapGet("/api/2.0/endpoints/", () => Results.Json(new { endpoints = new[] { new { name = "chat" } } }));
        _gateway.MapPost("/gateway/chat/invocations", async (HttpContext c) =>
        {
            var body = await c.Request.ReadFromJsonAsync<JsonNode>();
            return Results.Json(new { echoed = body });
        });
        _gateway.MapPost("/gateway/broken/invocations", () => Results.Json(new { error = "route not found" }, statusCode: 404));
        await _gateway.StartAsync();
        var gatewayUri = _gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _server = await KeelServerProcess.StartAsync(env: new Dictionary<string, string?> { ["MLFLOW_DEPLOYMENTS_TARGET"] = gatewayUri });
        _http.BaseAddress = _server.BaseUri;
    }

    [Fact]
    public async Task A_request_without_a_gateway_path_is_rejected()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(Proxy, UriKind.Relative), new { });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body["error_code"]);
        Assert.Equal("Deployments proxy request must specify a gateway_path.", (string?)body["message"]);
    }

    [Theory]
    [InlineData("../admin")]
    [InlineData("http://elsewhere/x")]
    [InlineData("/api/2.0/endpoints/")]
    public async Task A_path_leaving_the_target_is_rejected(string path)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(Proxy, UriKind.Relative), new { gateway_path = path });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Requests_are_forwarded_with_their_method_and_json()
    {
        var list = await _http.GetFromJsonAsync<JsonNode>(new Uri(Proxy + "?gateway_path=api/2.0/endpoints/", UriKind.Relative));
        Assert.Equal("chat", (string?)list!["endpoints"]![0]!["name"]);

        using var response = await _http.PostAsJsonAsync(new Uri(Proxy, UriKind.Relative), new { gateway_path = "gateway/chat/invocations", json_data = new { prompt = "hi" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"echoed":{"prompt":"hi"}}""", (await response.Content.ReadFromJsonAsync<JsonNode>())!.ToJsonString());
    }

    [Fact]
    public async Task A_gateway_error_is_reported_with_its_status_and_text()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(Proxy, UriKind.Relative), new { gateway_path = "gateway/broken/invocations", json_data = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (string?)(await response.Content.ReadFromJsonAsync<JsonNode>())!["message"];
        Assert.StartsWith("Deployments proxy request failed with error code 404.", message, StringComparison.Ordinal);
        Assert.Contains("route not found", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_that_is_not_a_url_stops_the_server_naming_the_variable()
    {
        var dir = TempDirs.Create("keel-gateway");
        try
        {
            var (exit, _, stderr) = await KeelCli.RunAsync(
                ["server", "--port", KeelServerProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dir],
                new Dictionary<string, string?> { ["MLFLOW_DEPLOYMENTS_TARGET"] = "gateway.local:5001" });
            Assert.NotEqual(0, exit);
            Assert.Contains("MLFLOW_DEPLOYMENTS_TARGET", stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }
    }
}
