using System.Text.Json.Nodes;

namespace Keel.Data.Validation.Checks;

/// <summary>Typed reads of kwargs already checked by <see cref="ExpectationCatalog"/>.</summary>
internal sealed class Kwargs(JsonObject kwargs)
{
    // Parsed afresh so every value is backed by JSON text and converts between number types.
    public JsonObject Raw { get; } = (JsonObject)JsonNode.Parse(kwargs.ToJsonString())!;

    public string Column => String("column")!;

    public bool Has(string key) => Raw[key] is not null;

    public string? String(string key) => Raw[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public double? Number(string key) => Raw[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public bool Bool(string key, bool fallback = false) => Raw[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    public double Mostly => Number("mostly") ?? 1.0;

    public IReadOnlyList<string> Strings(string key) =>
        Raw[key] is JsonArray a ? a.Select(n => n!.GetValue<string>()).ToList() : [];

    public IReadOnlyList<JsonNode?> Values(string key) => Raw[key] is JsonArray a ? a.ToList() : [];

    public bool IsNull(string key) => Raw[key] is null;
}
