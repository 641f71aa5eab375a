using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Errors;

namespace Keel.ML.Manifest;

/// <summary>
/// The inputs or the outputs of a signature: either columns or tensors, never both (as in MLflow's <c>Schema</c>).
/// </summary>
public sealed class SchemaSpec
{
    private SchemaSpec(IReadOnlyList<ColumnSpec> columns, IReadOnlyList<TensorSpec> tensors)
    {
        Columns = columns;
        Tensors = tensors;
    }

    /// <summary>Column specs; empty for a tensor schema.</summary>
    public IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>Tensor specs; empty for a column schema.</summary>
    public IReadOnlyList<TensorSpec> Tensors { get; }

    /// <summary>True when the schema is made of tensor specs.</summary>
    public bool IsTensorBased => Tensors.Count > 0;

    /// <summary>Creates a column-based schema.</summary>
    public static SchemaSpec FromColumns(IEnumerable<ColumnSpec> columns) => new([.. columns], []);

    /// <summary>Creates a tensor-based schema.</summary>
    public static SchemaSpec FromTensors(IEnumerable<TensorSpec> tensors) => new([], [.. tensors]);

    /// <summary>Parses the JSON string MLflow stores under <c>signature.inputs</c> or <c>signature.outputs</c>.</summary>
    public static SchemaSpec Parse(string json)
    {
        JsonArray array;
        try
        {
            array = JsonNode.Parse(json) as JsonArray ?? throw KeelException.InvalidParameter("A signature schema must be a JSON list.");
        }
        catch (JsonException ex)
        {
            throw KeelException.InvalidParameter($"A signature schema is not valid JSON: {ex.Message}");
        }

        var columns = new List<ColumnSpec>();
        var tensors = new List<TensorSpec>();
        foreach (var item in array.OfType<JsonObject>())
        {
            var type = (string?)item["type"] ?? throw KeelException.InvalidParameter("A signature entry has no 'type'.");
            var name = (string?)item["name"];
            if (type == "tensor")
            {
                var spec = item["tensor-spec"] as JsonObject ?? throw KeelException.InvalidParameter("A tensor entry has no 'tensor-spec'.");
                var shape = (spec["shape"] as JsonArray)?.Select(d => (long)d!).ToArray() ?? [];
                tensors.Add(new TensorSpec(name, (string?)spec["dtype"] ?? "float32", shape));
            }
            else
            {
                columns.Add(new ColumnSpec(name, type, (bool?)item["required"] ?? true));
            }
        }

        if (columns.Count > 0 && tensors.Count > 0)
        {
            throw KeelException.InvalidParameter("A signature schema cannot mix columns and tensors.");
        }

        return new SchemaSpec(columns, tensors);
    }

    /// <summary>The JSON text MLflow stores for this schema (same key order as MLflow's <c>to_json</c>).</summary>
    public string ToJson()
    {
        var array = new JsonArray();
        foreach (var c in Columns)
        {
            var o = new JsonObject { ["type"] = c.Type };
            if (c.Name is not null)
            {
                o["name"] = c.Name;
            }

            o["required"] = c.Required;
            array.Add(o);
        }

        foreach (var t in Tensors)
        {
            var o = new JsonObject
            {
                ["type"] = "tensor",
                ["tensor-spec"] = new JsonObject { ["dtype"] = t.Dtype, ["shape"] = new JsonArray([.. t.Shape.Select(d => (JsonNode)d)]) },
            };
            if (t.Name is not null)
            {
                o["name"] = t.Name;
            }

            array.Add(o);
        }

        // MLflow writes json.dumps output, which uses ", " and ": " separators.
        return SpacedJson(array);
    }

    private static string SpacedJson(JsonNode node) => node switch
    {
        JsonArray a => "[" + string.Join(", ", a.Select(x => SpacedJson(x!))) + "]",
        JsonObject o => "{" + string.Join(", ", o.Select(kv => JsonSerializer.Serialize(kv.Key) + ": " + SpacedJson(kv.Value!))) + "}",
        _ => node.ToJsonString(),
    };
}
