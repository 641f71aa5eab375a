using System.Net;
using Keel.Core.Errors;

namespace Keel.Client.Tests;

/// <summary>A server's error answer comes back as the typed exception with the server's code and message.</summary>
public sealed class ErrorRebuildingTests
{
    private static readonly KeelClientOptions NoRetries = new() { MaxRetries = 0 };

    private static KeelClient Client(ScriptedHandler handler, string uri = "http://tracking.test:5000") =>
        new(new Uri(uri), new HttpClient(handler), NoRetries);

    [Fact]
    public async Task An_mlflow_error_body_keeps_its_code_and_message()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.NotFound, """{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run 'abc' not found"}"""));
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.GetRunAsync("abc"));
        Assert.Equal((ErrorCode.ResourceDoesNotExist, "Run 'abc' not found", 404), (e.Code, e.Message, e.HttpStatus));
    }

    [Fact]
    public async Task The_wire_code_wins_over_the_status()
    {
        // MLflow answers 400 for an existing name; the code, not the status, says which error it is.
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.BadRequest, """{"error_code": "RESOURCE_ALREADY_EXISTS", "message": "Experiment 'x' already exists."}"""));
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.CreateExperimentAsync("x", null, []));
        Assert.Equal(ErrorCode.ResourceAlreadyExists, e.Code);
    }

    [Fact]
    public async Task An_unknown_code_from_another_server_maps_by_status()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.Forbidden, """{"error_code": "CUSTOM_POLICY_DENIED", "message": "no"}"""));
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.GetExperimentAsync("1"));
        Assert.Equal((ErrorCode.PermissionDenied, "no"), (e.Code, e.Message));
    }

    [Fact]
    public async Task A_proxy_page_becomes_an_error_naming_status_url_and_body()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Text(HttpStatusCode.BadGateway, "<html>upstream down</html>", "text/html"));
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.GetExperimentAsync("1"));
        Assert.Equal(ErrorCode.InternalError, e.Code);
        Assert.Contains("HTTP 502", e.Message, StringComparison.Ordinal);
        Assert.Contains("http://tracking.test:5000/api/2.0/mlflow/experiments/get?experiment_id=1", e.Message, StringComparison.Ordinal);
        Assert.Contains("upstream down", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_error_body_is_cut_in_the_message()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Text(HttpStatusCode.NotFound, new string('x', 5000), "text/plain"));
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.GetExperimentAsync("1"));
        Assert.Equal(ErrorCode.NotFound, e.Code);
        Assert.True(e.Message.Length < 400, e.Message);
    }

    [Fact]
    public async Task A_success_with_a_body_that_is_not_json_is_an_error_not_an_empty_result()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Text(HttpStatusCode.OK, "<html>login page</html>", "text/html"));
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.GetExperimentAsync("1"));
        Assert.Contains("not the expected JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_keep_the_uri_prefix_and_send_exactly_application_json()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.OK, """{"experiment_id": "7"}"""));
        using var client = Client(handler, "https://proxy.test/mlflow/");
        Assert.Equal("7", await client.CreateExperimentAsync("e", null, []));
        var (method, uri, contentType, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, method);
        Assert.Equal("https://proxy.test/mlflow/api/2.0/mlflow/experiments/create", uri.AbsoluteUri);
        Assert.Equal("application/json", contentType);
        Assert.Contains("\"name\":\"e\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://tracking.test")]
    [InlineData("file:///tmp/mlruns")]
    public void Only_http_and_https_tracking_uris_are_accepted(string uri)
    {
        var e = Assert.Throws<ArgumentException>(() => new KeelClient(new Uri(uri)));
        Assert.Contains(uri.TrimEnd('/'), e.Message, StringComparison.Ordinal);
    }
}
