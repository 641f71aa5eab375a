using System.Net;
using System.Text.Json.Nodes;
using Keel.Client;
using Keel.Core.Data;
using Keel.Core.Tracking;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Xunit;

namespace Keel.EndToEnd.Tests.Data;

/// <summary>Lineage through the server: dataset version → run → model version → endpoint, both ways, as JSON, DOT and SVG.</summary>
[Collection(ServerCollection.Name)]
public sealed class LineageApiTests(ServerFixture fixture)
{
    private readonly ServingApi _api = new(fixture.Http);

    [Fact]
    public async Task A_dataset_version_leads_to_the_endpoint_serving_the_model_trained_on_it_and_back()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        using var client = new KeelClient(fixture.Http.BaseAddress!);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));
        var dataset = "lineage-" + id;
        var otherDigest = new string(digest.Reverse().ToArray());
        foreach (var d in new[] { digest, otherDigest })
        {
            // The server records a version only after its manifest object is stored.
            using var manifest = new MemoryStream("{}"u8.ToArray());
            await client.WriteAsync(Keel.Data.Content.ContentPaths.Manifest(d), manifest);
        }

        var version = (await client.Datasets.AddVersionAsync(new NewDatasetVersion(dataset, digest, "csv", 1, 10, 3), "alice")).Version;
        var other = (await client.Datasets.AddVersionAsync(new NewDatasetVersion(dataset, otherDigest, "csv", 1, 10, 3), "alice")).Version;

        var modelUri = await _api.RegisterLinearAsync("lineage-model-" + id, [1f, 2f, 3f], 0f);
        var modelName = modelUri.Split('/')[1];
        var runId = (await client.GetModelVersionAsync(modelName, 1)).RunId!;
        await client.LogInputsAsync(runId, [new DatasetInput(new Dataset(dataset, digest[..32], "keel", version.Uri, null, null), [new Tag("mlflow.data.context", "training")])]);
        var endpoint = "lineage-ep-" + id;
        await _api.CreateEndpointAsync(endpoint, modelUri);

        var down = await TraceAsync(version.Uri, "downstream");
        Assert.Equal(version.Uri, (string)down["root"]!);
        Assert.Equal(
            [(version.Uri, $"runs:/{runId}", "input"), ($"runs:/{runId}", $"models:/{modelName}/1", "produced"), ($"models:/{modelName}/1", $"endpoints:/{endpoint}", "serves 100%")],
            Edges(down));

        var up = await TraceAsync($"endpoints:/{endpoint}", "upstream");
        Assert.Equal(Edges(down).ToHashSet(), Edges(up).ToHashSet());

        // The other version of the same dataset fed nothing.
        Assert.Empty(Edges(await TraceAsync(other.Uri, "both")));

        // From the middle, both ways; and a moving URI resolves to the version it names now.
        var middle = await TraceAsync($"models:/{modelName}/1", "both");
        Assert.Equal(3, Edges(middle).Count);
        Assert.Equal(other.Uri, (string)(await TraceAsync($"datasets:/{dataset}@latest", "both"))["root"]!);

        var dot = await fixture.Http.GetStringAsync(new Uri($"/api/2.0/keel/lineage?uri={Uri.EscapeDataString(version.Uri)}&format=dot", UriKind.Relative));
        Assert.StartsWith("digraph lineage {", dot, StringComparison.Ordinal);
        Assert.Contains($"\"runs:/{runId}\" -> \"models:/{modelName}/1\"", dot, StringComparison.Ordinal);
        var svg = await fixture.Http.GetStringAsync(new Uri($"/api/2.0/keel/lineage?uri={Uri.EscapeDataString(version.Uri)}&format=svg", UriKind.Relative));
        Assert.Equal(4, System.Xml.Linq.XDocument.Parse(svg).Descendants("{http://www.w3.org/2000/svg}rect").Count(r => r.Attribute("rx") is not null));
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("?uri=s3://bucket/x", HttpStatusCode.BadRequest)]
    [InlineData("?uri=datasets:/missing-dataset/1", HttpStatusCode.NotFound)]
    [InlineData("?uri=endpoints:/missing-endpoint", HttpStatusCode.NotFound)]
    [InlineData("?uri=datasets:/x/1&direction=sideways", HttpStatusCode.BadRequest)]
    [InlineData("?uri=datasets:/x/1&format=png", HttpStatusCode.BadRequest)]
    public async Task Bad_questions_get_a_clear_4xx(string query, HttpStatusCode expected)
    {
        using var response = await fixture.Http.GetAsync(new Uri("/api/2.0/keel/lineage" + query, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("message", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static List<(string, string, string)> Edges(JsonNode graph) =>
        [.. graph["edges"]!.AsArray().Select(e => ((string)e!["from"]!, (string)e["to"]!, (string)e["relation"]!))];

    private async Task<JsonNode> TraceAsync(string uri, string direction) =>
        JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"/api/2.0/keel/lineage?uri={Uri.EscapeDataString(uri)}&direction={direction}", UriKind.Relative)))!;
}
