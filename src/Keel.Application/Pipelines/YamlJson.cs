using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Application.Pipelines;

/// <summary>
/// Reads a YAML (or JSON) document into a <see cref="JsonElement"/>, so the rest of the parser reads
/// one shape. Plain scalars follow the YAML 1.2 core schema (null, booleans, integers, floats);
/// quoted scalars are strings. Anchors and aliases are resolved by YamlDotNet; duplicate keys are refused.
/// </summary>
internal static partial class YamlJson
{
    public static JsonElement Read(string text, string what)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw KeelException.InvalidParameter($"{what} is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}");
        }

        if (stream.Documents.Count != 1)
        {
            throw KeelException.InvalidParameter($"{what} must hold exactly one YAML document.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, stream.Documents[0].RootNode, what, string.Empty);
        }

        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter w, YamlNode node, string what, string path)
    {
        switch (node)
        {
            case YamlMappingNode map:
                w.WriteStartObject();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw KeelException.InvalidParameter($"{what}: field '{path}' has a key that is not a plain name.");
                    }

                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (!seen.Add(name))
                    {
                        throw KeelException.InvalidParameter($"{what}: field '{child}' appears twice.");
                    }

                    w.WritePropertyName(name);
                    Write(w, value, what, child);
                }

                w.WriteEndObject();
                break;
            case YamlSequenceNode list:
                w.WriteStartArray();
                var i = 0;
                foreach (var item in list.Children)
                {
                    Write(w, item, what, $"{path}[{i++}]");
                }

                w.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(w, scalar);
                break;
            default:
                throw KeelException.InvalidParameter($"{what}: field '{path}' holds an unsupported YAML node.");
        }
    }

    private static void WriteScalar(Utf8JsonWriter w, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            w.WriteStringValue(text);
            return;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                w.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                w.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                w.WriteBooleanValue(false);
                return;
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            w.WriteNumberValue(whole);
        }
        else if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            w.WriteNumberValue(real);
        }
        else
        {
            w.WriteStringValue(text);
        }
    }

    /// <summary>Canonical compact JSON of a value with object keys sorted (for hashing).</summary>
    public static string Canonical(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Keel.Core.Pipelines.Definition.PipelineDocument.WriteSorted(w, value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
