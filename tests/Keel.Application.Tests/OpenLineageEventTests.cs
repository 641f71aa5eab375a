using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Keel.Application.OpenLineage;
using Keel.Core.Data;

namespace Keel.Application.Tests;

/// <summary>Every OpenLineage event Keel builds validates against the 2-0-2 spec and the facets' own schemas; transports deliver them.</summary>
public sealed class OpenLineageEventTests
{
    private static readonly Lazy<(JsonSchema Event, BuildOptions Options)> Schemas = new(Load);
    private readonly OpenLineageEvents _events = new("keel-test");

    private static DatasetVersion Version => new(
        "iris", 2, new string('c', 64), "csv", 1, 4551, 150, """[{"name":"sepal_length","type":"float"},{"name":"species","type":"string"}]""",
        null, null, "/data/iris.csv", null, 1, "alice", []);

    [Fact]
    public void A_data_add_with_assertions_is_a_valid_run_event()
    {
        var assertions = new[] { new LineageAssertion("expect_column_values_to_not_be_null", true, "species", "error"), new LineageAssertion("expect_table_row_count_to_be_between", false, null, "warn", "150") };
        var e = _events.RunEvent("COMPLETE", Guid.CreateVersion7(), "keel.data.add", [], [_events.Dataset(Version, assertions)], DateTimeOffset.UnixEpoch);
        AssertValid(e);
        var output = e["outputs"]![0]!;
        Assert.Equal(("keel-test", "iris", "2"), ((string)output["namespace"]!, (string)output["name"]!, (string)output["facets"]!["version"]!["datasetVersion"]!));
        Assert.Equal(["sepal_length", "species"], output["facets"]!["schema"]!["fields"]!.AsArray().Select(f => (string)f!["name"]!));
        Assert.False((bool)output["inputFacets"]!["dataQualityAssertions"]!["assertions"]![1]!["success"]!);
    }

    [Fact]
    public void Training_events_carry_dataset_inputs_and_a_model_output_and_a_failure_its_message()
    {
        var runId = OpenLineageEvents.RunId("0123456789abcdef0123456789abcdef");
        Assert.Equal("01234567-89ab-cdef-0123-456789abcdef", runId.ToString("D"));
        var start = _events.RunEvent("START", runId, "keel.train.churn", [_events.Dataset(Version)], [], DateTimeOffset.UnixEpoch);
        var complete = _events.RunEvent("COMPLETE", runId, "keel.train.churn", [_events.Dataset(Version)], [_events.Model("churn", 3)], DateTimeOffset.UnixEpoch);
        var fail = _events.RunEvent("FAIL", runId, "keel.train.churn", [_events.File("/tmp/x.csv")], [], DateTimeOffset.UnixEpoch, "label column 'y' not found");
        AssertValid(start);
        AssertValid(complete);
        AssertValid(fail);
        Assert.Equal("MODEL", (string)complete["outputs"]![0]!["facets"]!["datasetType"]!["datasetType"]!);
        Assert.Equal("label column 'y' not found", (string)fail["run"]!["facets"]!["errorMessage"]!["message"]!);
    }

    [Fact]
    public void A_broken_event_fails_the_schema_so_the_check_can_fail()
    {
        var e = _events.RunEvent("START", Guid.NewGuid(), "j", [], [], DateTimeOffset.UnixEpoch);
        e["eventType"] = "STARTED";
        Assert.NotEmpty(Errors(Schemas.Value.Event, e));
        var facet = _events.Model("m", 1)["facets"]!["datasetType"]!.AsObject();
        facet.Remove("datasetType");
        Assert.NotEmpty(Errors(FacetSchema("https://openlineage.io/spec/facets/1-0-1/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet"), facet));
    }

    [Fact]
    public async Task The_file_transport_appends_one_line_per_event_and_the_http_one_posts_with_the_key()
    {
        var file = Path.Combine(Path.GetTempPath(), $"keel-ol-{Guid.NewGuid():N}.jsonl");
        var handler = new RecordingHandler();
        try
        {
            var settings = OpenLineageSettings.FromEnvironment(name => name switch
            {
                "OPENLINEAGE_URL" => "http://marquez.test:5000",
                "OPENLINEAGE_API_KEY" => "secret",
                "KEEL_OPENLINEAGE_FILE" => file,
                _ => null,
            });
            Assert.Equal("http://marquez.test:5000/api/v1/lineage", settings.Url!.ToString());
            using var emitter = new OpenLineageEmitter(settings, new HttpClient(handler));
            await emitter.EmitAsync(emitter.Events.RunEvent("START", Guid.NewGuid(), "j", [], [], DateTimeOffset.UnixEpoch));
            await emitter.EmitAsync(emitter.Events.RunEvent("COMPLETE", Guid.NewGuid(), "j", [], [], DateTimeOffset.UnixEpoch));
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(["START", "COMPLETE"], lines.Select(l => (string)JsonNode.Parse(l)!["eventType"]!));
            Assert.Equal(2, handler.Bodies.Count);
            Assert.Equal("Bearer secret", handler.Authorization);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_consumer_that_is_down_costs_a_warning_not_the_operation()
    {
        var warnings = new StringWriter();
        var settings = new OpenLineageSettings(new Uri("http://127.0.0.1:9/api/v1/lineage"), null, null, "keel");
        using var emitter = new OpenLineageEmitter(settings, new HttpClient(new RecordingHandler(HttpStatusCode.ServiceUnavailable)), warnings);
        await emitter.EmitAsync(emitter.Events.RunEvent("START", Guid.NewGuid(), "j", [], [], DateTimeOffset.UnixEpoch));
        Assert.Contains("answered 503", warnings.ToString(), StringComparison.Ordinal);
        Assert.Throws<Keel.Core.Errors.KeelException>(() => OpenLineageSettings.FromEnvironment(n => n == "OPENLINEAGE_URL" ? "ftp://x" : null));
    }

    private static void AssertValid(JsonObject e)
    {
        Assert.Empty(Errors(Schemas.Value.Event, e));
        Assert.True(Guid.TryParse((string)e["run"]!["runId"]!, out _));
        Assert.True(DateTimeOffset.TryParse((string)e["eventTime"]!, System.Globalization.CultureInfo.InvariantCulture, out _));

        // Each facet against its own schema, found through its _schemaURL.
        foreach (var facet in e.DescendantFacets())
        {
            Assert.Empty(Errors(FacetSchema((string)facet["_schemaURL"]!), facet));
        }
    }

    private static JsonSchema FacetSchema(string schemaUrl) =>
        JsonSchema.FromText(new JsonObject { ["$ref"] = schemaUrl }.ToJsonString(), Schemas.Value.Options, new Uri($"https://keel.test/facet/{Guid.NewGuid():N}.json"));

    private static List<string> Errors(JsonSchema schema, JsonNode instance)
    {
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(x => $"{d.InstanceLocation}: {x.Value}"))];
    }

    private static (JsonSchema, BuildOptions) Load()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        JsonSchema? main = null;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "OpenLineageSchemas"), "*.json"))
        {
            var text = File.ReadAllText(file);
            var id = new Uri((string)JsonNode.Parse(text)!["$id"]!);
            var schema = JsonSchema.FromText(text, options, id);
            options.SchemaRegistry.Register(schema);
            if (file.EndsWith("OpenLineage.json", StringComparison.Ordinal))
            {
                main = schema;
            }
        }

        return (main!, options);
    }

    private sealed class RecordingHandler(HttpStatusCode status = HttpStatusCode.Created) : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        public string? Authorization { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            Authorization = request.Headers.Authorization?.ToString();
            return new HttpResponseMessage(status);
        }
    }
}

internal static class FacetWalk
{
    /// <summary>Every object in the event that carries a _schemaURL (a facet).</summary>
    public static IEnumerable<JsonObject> DescendantFacets(this JsonNode node)
    {
        if (node is JsonObject o)
        {
            if (o.ContainsKey("_schemaURL"))
            {
                yield return o;
            }

            foreach (var (_, child) in o)
            {
                if (child is not null)
                {
                    foreach (var facet in child.DescendantFacets())
                    {
                        yield return facet;
                    }
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a.OfType<JsonNode>())
            {
                foreach (var facet in child.DescendantFacets())
                {
                    yield return facet;
                }
            }
        }
    }
}
