using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Keel.Application.Pipelines;

/// <summary>
/// A step's cache key: SHA-256 of a canonical JSON document of everything that decides its outputs —
/// the step type and its version, the parameters (templates filled in), each input's identity (a
/// dataset version's manifest digest, an upstream output, a file's content hash) and the type's
/// extra material (for <c>command</c>, the executable's and named files' hashes). The document is
/// kept too, so a plan can say which part changed.
/// </summary>
public static class StepCacheKey
{
    /// <summary>The output name under which the key's document is stored with a cache entry (not a step output).</summary>
    public const string MaterialOutput = "keel.cache.material";

    /// <summary>The key's document: canonical JSON, keys sorted.</summary>
    /// <param name="type">The step type.</param>
    /// <param name="typeVersion">Its version.</param>
    /// <param name="parameters">The filled-in parameters.</param>
    /// <param name="inputs">Input name → identity.</param>
    /// <param name="extra">Extra material.</param>
    public static string Material(string type, int typeVersion, JsonElement parameters, IReadOnlyDictionary<string, string> inputs, IReadOnlyList<string> extra)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("extra");
            foreach (var e in extra)
            {
                w.WriteStringValue(e);
            }

            w.WriteEndArray();
            w.WriteStartObject("inputs");
            foreach (var (name, identity) in inputs.OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                w.WriteString(name, identity);
            }

            w.WriteEndObject();
            w.WritePropertyName("params");
            Keel.Core.Pipelines.Definition.PipelineDocument.WriteSorted(w, parameters);
            w.WriteString("type", type);
            w.WriteNumber("type_version", typeVersion);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The key of a document.</summary>
    /// <param name="material">The document.</param>
    public static string Of(string material) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));

    /// <summary>What differs between two documents, in words ("inputs.dataset: datasets:/d/3 → datasets:/d/4").</summary>
    /// <param name="before">The earlier document.</param>
    /// <param name="after">The new one.</param>
    public static IReadOnlyList<string> Differences(string before, string after)
    {
        using var a = JsonDocument.Parse(before);
        using var b = JsonDocument.Parse(after);
        var changes = new List<string>();
        foreach (var section in new[] { "type", "type_version" })
        {
            var x = a.RootElement.GetProperty(section).ToString();
            var y = b.RootElement.GetProperty(section).ToString();
            if (x != y)
            {
                changes.Add($"{section}: {x} → {y}");
            }
        }

        var ia = a.RootElement.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        var ib = b.RootElement.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        foreach (var name in ia.Keys.Union(ib.Keys).Order(StringComparer.Ordinal))
        {
            var x = ia.GetValueOrDefault(name);
            var y = ib.GetValueOrDefault(name);
            if (x != y)
            {
                changes.Add($"inputs.{name}: {Short(x)} → {Short(y)}");
            }
        }

        var pa = a.RootElement.GetProperty("params").GetRawText();
        var pb = b.RootElement.GetProperty("params").GetRawText();
        if (pa != pb)
        {
            changes.Add($"params: {Short(pa)} → {Short(pb)}");
        }

        if (a.RootElement.GetProperty("extra").GetRawText() != b.RootElement.GetProperty("extra").GetRawText())
        {
            changes.Add("files or executable content changed");
        }

        return changes;
    }

    private static string Short(string? text) => text is null ? "(none)" : text.Length > 80 ? text[..80] + "…" : text;
}
