using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Core.Data;

namespace Keel.Application.OpenLineage;

/// <summary>
/// Builds OpenLineage 2-0-2 run events (https://openlineage.io/spec/2-0-2/OpenLineage.json) for what
/// Keel does: adding and validating dataset versions, and training runs that read dataset versions
/// and produce model versions (datasets of type MODEL). Dataset versions are named by dataset, with
/// their version in the DatasetVersion facet, so lineage tools show one dataset with many versions.
/// </summary>
public sealed class OpenLineageEvents
{
    /// <summary>Identifies Keel as the producer of events and facets.</summary>
    public const string Producer = "https://github.com/keel-mlops/keel";

    private const string Spec = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    private const string Facets = "https://openlineage.io/spec/facets/";

    /// <param name="namespace">The namespace of jobs and datasets.</param>
    public OpenLineageEvents(string @namespace) => Namespace = @namespace;

    /// <summary>The namespace of jobs and datasets.</summary>
    public string Namespace { get; }

    /// <summary>An MLflow run id (32 hex digits) as the UUID OpenLineage wants.</summary>
    public static Guid RunId(string mlflowRunId) => Guid.ParseExact(mlflowRunId, "N");

    /// <summary>A run event: START, COMPLETE or FAIL of one run of a job, with its input and output datasets.</summary>
    public JsonObject RunEvent(string eventType, Guid runId, string job, IEnumerable<JsonObject> inputs, IEnumerable<JsonObject> outputs, DateTimeOffset at, string? error = null)
    {
        var runFacets = new JsonObject();
        if (error is not null)
        {
            runFacets["errorMessage"] = Facet("1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet", new JsonObject { ["message"] = error, ["programmingLanguage"] = "C#" });
        }

        return new JsonObject
        {
            ["eventType"] = eventType,
            ["eventTime"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["producer"] = Producer,
            ["schemaURL"] = Spec,
            ["run"] = new JsonObject { ["runId"] = runId.ToString("D"), ["facets"] = runFacets },
            ["job"] = new JsonObject
            {
                ["namespace"] = Namespace,
                ["name"] = job,
                ["facets"] = new JsonObject
                {
                    ["jobType"] = Facet("2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet", new JsonObject { ["processingType"] = "BATCH", ["integration"] = "KEEL", ["jobType"] = "JOB" }),
                },
            },
            ["inputs"] = new JsonArray([.. inputs]),
            ["outputs"] = new JsonArray([.. outputs]),
        };
    }

    /// <summary>A dataset version as an input or output, with its schema and, for an input that was checked, the assertions.</summary>
    public JsonObject Dataset(DatasetVersion version, IReadOnlyList<LineageAssertion>? assertions = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        var facets = new JsonObject
        {
            ["version"] = Facet("1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet", new JsonObject { ["datasetVersion"] = version.Version.ToString(CultureInfo.InvariantCulture) }),
            ["datasetType"] = Facet("1-0-1/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet", new JsonObject { ["datasetType"] = version.Format == "files" ? "FILE" : "TABLE" }),
        };
        if (SchemaFields(version.Schema) is { } fields)
        {
            facets["schema"] = Facet("1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet", new JsonObject { ["fields"] = fields });
        }

        var dataset = new JsonObject { ["namespace"] = Namespace, ["name"] = version.Name, ["facets"] = facets };
        if (assertions is { Count: > 0 })
        {
            dataset["inputFacets"] = new JsonObject { ["dataQualityAssertions"] = Assertions(assertions) };
        }

        return dataset;
    }

    /// <summary>A file that is not a dataset version (a path given to validate), named by its absolute path.</summary>
    public JsonObject File(string path, IReadOnlyList<LineageAssertion>? assertions = null)
    {
        var dataset = new JsonObject
        {
            ["namespace"] = "file",
            ["name"] = Path.GetFullPath(path),
            ["facets"] = new JsonObject { ["datasetType"] = Facet("1-0-1/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet", new JsonObject { ["datasetType"] = "FILE" }) },
        };
        if (assertions is { Count: > 0 })
        {
            dataset["inputFacets"] = new JsonObject { ["dataQualityAssertions"] = Assertions(assertions) };
        }

        return dataset;
    }

    /// <summary>A registered model version as an output dataset of type MODEL.</summary>
    public JsonObject Model(string name, long version) => new()
    {
        ["namespace"] = Namespace,
        ["name"] = "models/" + name,
        ["facets"] = new JsonObject
        {
            ["version"] = Facet("1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet", new JsonObject { ["datasetVersion"] = version.ToString(CultureInfo.InvariantCulture) }),
            ["datasetType"] = Facet("1-0-1/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet", new JsonObject { ["datasetType"] = "MODEL" }),
        },
    };

    private static JsonObject Assertions(IReadOnlyList<LineageAssertion> assertions)
    {
        var list = new JsonArray();
        foreach (var a in assertions)
        {
            var item = new JsonObject { ["assertion"] = a.Assertion, ["success"] = a.Success };
            if (a.Column is not null)
            {
                item["column"] = a.Column;
            }

            if (a.Severity is not null)
            {
                item["severity"] = a.Severity;
            }

            if (a.Actual is not null)
            {
                item["actual"] = a.Actual;
            }

            list.Add(item);
        }

        return Facet("1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet", new JsonObject { ["assertions"] = list });
    }

    private static JsonArray? SchemaFields(string? schema)
    {
        if (schema is null || JsonNode.Parse(schema) is not JsonArray columns)
        {
            return null;
        }

        var fields = new JsonArray();
        foreach (var column in columns.OfType<JsonObject>())
        {
            if (column["name"]?.GetValue<string>() is { } name)
            {
                var field = new JsonObject { ["name"] = name };
                if (column["type"]?.GetValue<string>() is { } type)
                {
                    field["type"] = type;
                }

                fields.Add(field);
            }
        }

        return fields;
    }

    private static JsonObject Facet(string schema, JsonObject body)
    {
        body["_producer"] = Producer;
        body["_schemaURL"] = Facets + schema;
        return body;
    }
}
