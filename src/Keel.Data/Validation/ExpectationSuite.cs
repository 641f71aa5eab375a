using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Errors;

namespace Keel.Data.Validation;

/// <summary>
/// A named list of expectations in Great Expectations' JSON: the 1.x form
/// <c>{"name", "expectations": [{"type", "kwargs", "meta", "severity"?}]}</c> and the older
/// <c>{"expectation_suite_name", "expectations": [{"expectation_type", "kwargs", "meta"}]}</c>.
/// Every expectation is checked when the suite is parsed: its type must be one Keel implements
/// and its kwargs must be the ones that type takes, with the right JSON types.
/// </summary>
/// <param name="Name">The suite name.</param>
/// <param name="Expectations">The expectations in order.</param>
/// <param name="Meta">The suite's metadata, kept as given.</param>
public sealed record ExpectationSuite(string Name, IReadOnlyList<ExpectationConfiguration> Expectations, JsonObject Meta)
{
    /// <summary>Parses and checks a suite; INVALID_PARAMETER_VALUE naming the expectation and kwarg on any problem.</summary>
    public static ExpectationSuite Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"The expectation suite is not valid JSON: {e.Message}");
        }

        if (root is not JsonObject obj)
        {
            throw KeelException.InvalidParameter("The expectation suite must be a JSON object with 'name' and 'expectations'.");
        }

        var name = StringOf(obj, "name") ?? StringOf(obj, "expectation_suite_name")
            ?? throw KeelException.InvalidParameter("The expectation suite needs a 'name' (or 'expectation_suite_name') string.");
        if (obj["expectations"] is not JsonArray list)
        {
            throw KeelException.InvalidParameter("The expectation suite needs an 'expectations' array.");
        }

        var expectations = new List<ExpectationConfiguration>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            expectations.Add(ParseExpectation(list[i], i));
        }

        var meta = obj["meta"] switch
        {
            null => new JsonObject(),
            JsonObject m => (JsonObject)m.DeepClone(),
            _ => throw KeelException.InvalidParameter("The expectation suite's 'meta' must be an object."),
        };
        return new ExpectationSuite(name, expectations, meta);
    }

    /// <summary>The suite as Great Expectations 1.x JSON (indented).</summary>
    public string ToJson()
    {
        var obj = new JsonObject
        {
            ["name"] = Name,
            ["expectations"] = new JsonArray(Expectations.Select(e => (JsonNode)e.ToJsonObject()).ToArray()),
            ["meta"] = Meta.DeepClone(),
        };
        return obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static ExpectationConfiguration ParseExpectation(JsonNode? node, int index)
    {
        if (node is not JsonObject e)
        {
            throw KeelException.InvalidParameter($"expectations[{index}] must be an object with 'type' and 'kwargs'.");
        }

        var type = StringOf(e, "type") ?? StringOf(e, "expectation_type")
            ?? throw KeelException.InvalidParameter($"expectations[{index}] needs a 'type' (or 'expectation_type') string.");
        var where = $"expectations[{index}] ({type})";
        var kwargs = e["kwargs"] switch
        {
            null => new JsonObject(),
            JsonObject k => (JsonObject)k.DeepClone(),
            _ => throw KeelException.InvalidParameter($"{where}: 'kwargs' must be an object."),
        };
        var meta = e["meta"] switch
        {
            null => new JsonObject(),
            JsonObject m => (JsonObject)m.DeepClone(),
            _ => throw KeelException.InvalidParameter($"{where}: 'meta' must be an object."),
        };
        var severity = e["severity"] switch
        {
            null => ExpectationConfiguration.Critical,
            JsonValue v when v.TryGetValue<string>(out var s) && s is ExpectationConfiguration.Critical or ExpectationConfiguration.Warning or ExpectationConfiguration.Info => s,
            _ => throw KeelException.InvalidParameter($"{where}: 'severity' must be one of 'critical', 'warning', 'info'."),
        };
        var id = StringOf(e, "id");
        ExpectationCatalog.CheckKwargs(type, kwargs, where);
        return new ExpectationConfiguration(type, kwargs, meta, severity, id);
    }

    private static string? StringOf(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
