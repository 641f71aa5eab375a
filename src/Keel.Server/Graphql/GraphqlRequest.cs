using System.Text.Json;
using GraphQL;
using Keel.Core.Errors;

namespace Keel.Server.Graphql;

/// <summary>A GraphQL-over-HTTP request: the document, its variables and which operation to run.</summary>
internal sealed record GraphqlRequest(string? Query, Inputs? Variables, string? OperationName)
{
    /// <summary>Binds a POSTed body, already read as one JSON object by <see cref="Http.WireIO.ReadObjectAsync"/>.</summary>
    public static GraphqlRequest Bind(JsonElement root) => new(
        StringMember(root, "query"),
        root.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? new Inputs(ToDictionary(v)) : null,
        StringMember(root, "operationName"));

    public static Inputs ParseVariables(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new Inputs(ToDictionary(document.RootElement))
                : throw KeelException.InvalidParameter("GraphQL variables must be a JSON object.");
        }
        catch (JsonException)
        {
            throw KeelException.InvalidParameter("GraphQL variables must be a JSON object.");
        }
    }

    private static string? StringMember(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, object?> ToDictionary(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = ToValue(property.Value);
        }

        return map;
    }

    /// <summary>Plain CLR values, which GraphQL.NET coerces to each variable's declared type.</summary>
    private static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt32(out var i) ? i : element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object => ToDictionary(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToValue).ToList(),
        _ => null,
    };
}
