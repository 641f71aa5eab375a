using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// Every route with a JSON body goes through one request reader and every error through one writer:
/// the same body fault gets the same answer on MLflow's API, Keel's API, GraphQL, /invocations and
/// V2 infer; V2 adds the spec's "error" to the same body.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OneReaderOneWriterTests(ServerFixture fixture)
{
    private readonly ServingApi _serving = new(fixture.Http);

    [Fact]
    public async Task A_body_fault_gets_the_same_answer_on_every_route()
    {
        var endpoint = "one-reader-" + Guid.NewGuid().ToString("N")[..8];
        await _serving.CreateEndpointAsync(endpoint, await _serving.RegisterLinearAsync(endpoint, [1f, 1f, 1f], 0f));
        string[] routes =
        [
            "/api/2.0/mlflow/experiments/create",
            "/api/2.0/mlflow/runs/log-batch",
            "/api/2.0/keel/endpoints",
            "/graphql",
            $"/endpoints/{endpoint}/invocations",
            $"/v2/models/{endpoint}/infer",
        ];

        foreach (var route in routes)
        {
            var (status, json, headers) = await PostAsync(route, [0x7B, 0x22, 0xFF, 0x22, 0x7D], "application/json");
            Assert.True(status == HttpStatusCode.BadRequest, $"{route}: {(int)status} {json}");
            Assert.Equal("INVALID_PARAMETER_VALUE", (string?)json["error_code"]);
            Assert.Equal("Malformed JSON in request body: it is not valid UTF-8.", (string?)json["message"]);
            Assert.Equal(route.StartsWith("/v2/", StringComparison.Ordinal), json.ContainsKey("error"));
            Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());

            (status, json, _) = await PostAsync(route, "{}"u8.ToArray(), "text/plain");
            Assert.True(status == HttpStatusCode.BadRequest, $"{route} text/plain: {(int)status} {json}");
            Assert.Equal("Bad Request. Content-Type must be one of ['application/json'].", (string?)json["message"]);
        }

        // A JSON body that is not one object: the same words on a route whose body is no wire DTO.
        // (gateway-proxy reads its body the same way, but only with a gateway configured: GatewayProxyTests.)
        foreach (var route in new[] { "/graphql", "/api/2.0/mlflow/experiments/create" })
        {
            var (status, json, _) = await PostAsync(route, "{\"query\": \"{ test { output } }\"} xyz"u8.ToArray(), "application/json");
            Assert.True(status == HttpStatusCode.BadRequest, $"{route}: {(int)status} {json}");
            Assert.Equal("Malformed JSON in request body: unexpected content after the JSON value.", (string?)json["message"]);
            (status, json, _) = await PostAsync(route, "[1]"u8.ToArray(), "application/json");
            Assert.Equal("The request body must be a JSON object.", (string?)json["message"]);
        }
    }

    [Fact]
    public async Task V2_errors_carry_the_spec_error_and_the_request_id_and_invocations_errors_do_not()
    {
        var endpoint = "one-writer-" + Guid.NewGuid().ToString("N")[..8];
        await _serving.CreateEndpointAsync(endpoint, await _serving.RegisterLinearAsync(endpoint, [1f, 1f, 1f], 0f));
        var headers = new Dictionary<string, string> { ["x-request-id"] = "trace-error-1" };

        var (status, json, response) = await _serving.SendAsync(HttpMethod.Post, $"/v2/models/{endpoint}/infer", """{"inputs": [{"name": "a", "shape": [2], "datatype": "FP64", "data": [1]}]}""", headers);
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal((string?)json!["message"], (string?)json["error"]);
            Assert.Equal("INVALID_PARAMETER_VALUE", (string?)json["error_code"]);
            Assert.Equal("trace-error-1", response.Headers.GetValues("x-request-id").Single());
        }

        (status, json, response) = await _serving.SendAsync(HttpMethod.Get, "/v2/models/no-such-endpoint-anywhere");
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal((string?)json!["message"], (string?)json["error"]);
        }

        (status, json, response) = await _serving.SendAsync(HttpMethod.Post, $"/endpoints/{endpoint}/invocations", """{"dataframe_records": {"a": 1}}""", headers);
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("INVALID_PARAMETER_VALUE", (string?)json!["error_code"]);
            Assert.Null(json["error"]);
            Assert.Equal("trace-error-1", response.Headers.GetValues("x-request-id").Single());
        }
    }

    private async Task<(HttpStatusCode Status, JsonObject Json, HttpResponseHeaders Headers)> PostAsync(string route, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(route, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), response.Headers);
    }
}
