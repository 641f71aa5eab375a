using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>/graphql with MLflow's schema and answer shape (<c>{"data", "errors": [messages] | null}</c>).</summary>
[Collection(ServerCollection.Name)]
public sealed class GraphqlTests(ServerFixture fixture)
{
    private readonly MlflowApi _api = new(fixture.Http);

    [Fact]
    public async Task Test_field_echoes_its_input()
    {
        var body = await QueryAsync("""query testQuery {test(inputString: "abc") { output }}""", operationName: "testQuery");
        Assert.Equal("""{"data":{"test":{"output":"abc"}},"errors":null}""", body.ToJsonString());
    }

    [Fact]
    public async Task Gets_an_experiment_by_id_with_a_variable()
    {
        var id = await _api.CreateExperimentAsync("GraphqlTest-" + Guid.NewGuid().ToString("N"));
        var body = await QueryAsync(
            "query q($input: MlflowGetExperimentInput) { mlflowGetExperiment(input: $input) { experiment { experimentId name lifecycleStage creationTime } } }",
            new JsonObject { ["input"] = new JsonObject { ["experimentId"] = id } });
        var experiment = body["data"]!["mlflowGetExperiment"]!["experiment"]!;
        Assert.Equal(id, (string?)experiment["experimentId"]);
        Assert.StartsWith("GraphqlTest-", (string?)experiment["name"], StringComparison.Ordinal);
        Assert.Equal("active", (string?)experiment["lifecycleStage"]);

        // LongString: int64 as a string, so JavaScript does not round it.
        Assert.Matches("^[0-9]+$", (string?)experiment["creationTime"]);
    }

    [Fact]
    public async Task Gets_a_run_with_its_experiment_metrics_and_model_versions()
    {
        var model = "GraphqlModel-" + Guid.NewGuid().ToString("N");
        var exp = await _api.CreateExperimentAsync();
        var run = await _api.CreateRunAsync(exp);
        await _api.OkAsync("runs/log-metric", new { run_id = run, key = "loss", value = 0.5, timestamp = 1_700_000_000_123L, step = 3 });
        await _api.OkAsync("registered-models/create", new { name = model });
        await _api.OkAsync("model-versions/create", new { name = model, source = $"runs:/{run}/model", run_id = run });

        var body = await QueryAsync(
            $$"""
            query testQuery @component(name: "MLflow.RunPage") {
              mlflowGetRun(input: {runId: "{{run}}"}) {
                run {
                  info { status runUuid experimentId }
                  data { metrics { key value step timestamp } }
                  experiment { experimentId }
                  modelVersions { name version status }
                }
              }
            }
            """);
        Assert.Null(body["errors"]);
        var result = body["data"]!["mlflowGetRun"]!["run"]!;
        Assert.Equal("RUNNING", (string?)result["info"]!["status"]);
        Assert.Equal(run, (string?)result["info"]!["runUuid"]);
        Assert.Equal(exp, (string?)result["experiment"]!["experimentId"]);
        Assert.Equal("""[{"key":"loss","value":0.5,"step":"3","timestamp":"1700000000123"}]""", result["data"]!["metrics"]!.ToJsonString());
        Assert.Equal($$"""[{"name":"{{model}}","version":"1","status":"READY"}]""", result["modelVersions"]!.ToJsonString());
    }

    [Fact]
    public async Task Errors_are_listed_as_messages_with_null_data()
    {
        var missing = await QueryAsync("""{ mlflowGetRun(input: {runId: "0123456789abcdef0123456789abcdef"}) { run { info { status } } } }""");
        Assert.Equal("Run with id=0123456789abcdef0123456789abcdef not found", (string?)missing["errors"]![0]);
        Assert.Null(missing["data"]!["mlflowGetRun"]);

        var unknown = await QueryAsync("{ mlflowGetRun(input: {runId: \"x\"}) { nope } }");
        Assert.Null(unknown["data"]);
        Assert.Contains("nope", (string?)unknown["errors"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_a_query_is_a_400()
    {
        using var response = await fixture.Http.PostAsJsonAsync(new Uri("/graphql", UriKind.Relative), new { operationName = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<JsonNode> QueryAsync(string query, JsonObject? variables = null, string? operationName = null)
    {
        var request = new JsonObject { ["query"] = query, ["variables"] = variables, ["operationName"] = operationName };
        using var content = new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await fixture.Http.PostAsync(new Uri("/graphql", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
