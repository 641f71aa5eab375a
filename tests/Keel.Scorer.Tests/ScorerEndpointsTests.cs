using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Keel.Scorer.Tests;

/// <summary>The standalone scorer's routes as a client sees them: V2, /invocations, health, and errors with codes.</summary>
public sealed class ScorerEndpointsTests(ScorerFixture fixture) : IClassFixture<ScorerFixture>
{
    private const string V2Body = """
        {"id": "r1", "inputs": [
          {"name": "a", "datatype": "FP64", "shape": [2], "data": [1, 0]},
          {"name": "b", "datatype": "FP64", "shape": [2], "data": [1, 0]},
          {"name": "c", "datatype": "FP64", "shape": [2], "data": [1, 2]}]}
        """;

    [Theory]
    [InlineData("/v2/models/linear/infer")]
    [InlineData("/v2/models/linear/versions/7/infer")]
    public async Task V2_infer_scores_the_model_and_names_it(string path)
    {
        var (status, body, response) = await PostAsync(path, V2Body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("linear", (string?)body!["model_name"]);
        Assert.Equal("7", (string?)body["model_version"]);
        Assert.Equal("r1", (string?)body["id"]);
        var data = body["outputs"]![0]!["data"]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal([6.5, 6.5], data);
        Assert.Equal("7", response.Headers.GetValues("x-keel-model-version").Single());
    }

    [Fact]
    public async Task Invocations_takes_mlflow_scoring_formats()
    {
        var (status, body, _) = await PostAsync("/invocations", """{"dataframe_records": [{"a": 1, "b": 1, "c": 1}, {"a": 0, "b": 0, "c": 0}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([6.5, 0.5], body!["predictions"]!.AsArray().Select(Single));

        (status, body, _) = await PostAsync("/invocations", """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[0, 0, 1]]}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([3.5], body!["predictions"]!.AsArray().Select(Single));
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> Errors() => new()
    {
        { "/v2/models/other/infer", V2Body, "application/json", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST" },
        { "/v2/models/linear/versions/8/infer", V2Body, "application/json", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST" },
        { "/v2/models/linear/infer", V2Body, "text/plain", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE" },
        { "/v2/models/linear/infer", """{"inputs": [{"name": "a", "datatype": "FP64", "shape": [1]}]}""", "application/json", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE" },
        { "/invocations", "{\"dataframe_records\": ", "application/json", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE" },
        { "/invocations", """{"dataframe_records": [{"a": 1, "b": 1}]}""", "application/json", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Bad_requests_get_a_coded_error_not_a_500(string path, string body, string contentType, HttpStatusCode expected, string code)
    {
        var (status, json, _) = await PostAsync(path, body, contentType);
        Assert.Equal(expected, status);
        Assert.Equal(code, (string?)json!["error_code"]);
        Assert.False(string.IsNullOrEmpty((string?)json["message"]));
    }

    [Fact]
    public async Task An_oversized_body_is_413_before_it_is_read()
    {
        // Only the head is sent: the declared length alone must be refused, or a client could make the scorer buffer it.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.Http.BaseAddress!.Host, fixture.Http.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var head = $"POST /invocations HTTP/1.1\r\nHost: {fixture.Http.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {(16 * 1024 * 1024) + 1}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("HTTP/1.1 413 ", await reader.ReadLineAsync() ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health", "OK")]
    [InlineData("/ping", "OK")]
    [InlineData("/v2/health/live", "{\"live\":true}")]
    [InlineData("/v2/health/ready", "{\"ready\":true}")]
    [InlineData("/v2/models/linear/ready", "{\"ready\":true}")]
    public async Task Health_routes_answer(string path, string expected) =>
        Assert.Equal(expected, await fixture.Http.GetStringAsync(new Uri(path, UriKind.Relative)));

    [Fact]
    public async Task Metadata_describes_the_model_and_an_unknown_model_is_404()
    {
        var metadata = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("/v2/models/linear", UriKind.Relative)))!;
        Assert.Equal("linear", (string?)metadata["name"]);
        Assert.Equal(["7"], metadata["versions"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(["a", "b", "c"], metadata["inputs"]!.AsArray().Select(i => (string?)i!["name"]));
        using var missing = await fixture.Http.GetAsync(new Uri("/v2/models/other/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("keel-scorer", (string?)JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("/v2", UriKind.Relative)))!["name"]);
    }

    private static double Single(JsonNode? value) => value is JsonArray a ? (double)a[0]! : (double)value!;

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(string path, string body, string contentType = "application/json")
    {
        var response = await fixture.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, response);
    }
}
