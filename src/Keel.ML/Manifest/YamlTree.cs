using System.Globalization;
using System.Text.RegularExpressions;
using Keel.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.ML.Manifest;

/// <summary>
/// Converts YAML to and from a plain tree (ordered dictionaries, lists, strings, longs, null).
/// </summary>
/// <remarks>
/// Why not YamlDotNet's object (de)serializer: an MLmodel file carries open-ended flavor sections
/// that Keel must keep verbatim on a round trip, and PyYAML's scalar conventions (a bare
/// <c>null</c>, a quoted timestamp, sorted keys) must be reproduced exactly so MLflow's Python
/// client reads what Keel writes. The representation model gives that control.
/// </remarks>
internal static partial class YamlTree
{
    public static Dictionary<string, object?> Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw KeelException.InvalidParameter($"MLmodel is not valid YAML: {ex.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw KeelException.InvalidParameter("MLmodel must be a YAML mapping.");
        }

        return ToMap(root);
    }

    public static string Emit(IReadOnlyDictionary<string, object?> tree)
    {
        var doc = new YamlDocument(ToNode(tree));
        var stream = new YamlStream(doc);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // YamlDotNet closes the document with "..." which PyYAML accepts but never writes itself.
        if (text.EndsWith("...\n", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// The YAML document as JSON, typed as Python's <c>yaml.safe_load</c> would read it (a plain
    /// <c>12</c> is a number, <c>'12'</c> a string), with <paramref name="leadingKeys"/> first at the top.
    /// </summary>
    public static string ToJson(string yaml, IReadOnlyList<string> leadingKeys)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            var entries = root.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? string.Empty, kv => kv.Value, StringComparer.Ordinal);
            writer.WriteStartObject();
            foreach (var key in leadingKeys.Where(entries.ContainsKey).Concat(entries.Keys.Where(k => !leadingKeys.Contains(k))))
            {
                writer.WritePropertyName(key);
                WriteJson(writer, entries[key]);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    writer.WritePropertyName(((YamlScalarNode)key).Value ?? string.Empty);
                    WriteJson(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode list:
                writer.WriteStartArray();
                foreach (var item in list.Children)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode { Style: ScalarStyle.Plain } plain:
                WritePlain(writer, plain.Value);
                break;
            case YamlScalarNode quoted:
                writer.WriteStringValue(quoted.Value);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    // YAML 1.1's resolution of plain scalars, as PyYAML applies it.
    private static void WritePlain(System.Text.Json.Utf8JsonWriter writer, string? value)
    {
        if (IsNull(value))
        {
            writer.WriteNullValue();
        }
        else if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(value[0] is 't' or 'T');
        }
        else if (PlainInteger().IsMatch(value!) && long.TryParse(value!.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            writer.WriteNumberValue(whole);
        }
        else if (PlainFloat().IsMatch(value!) && double.TryParse(value!.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex PlainInteger();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$")]
    private static partial Regex PlainFloat();

    private static Dictionary<string, object?> ToMap(YamlMappingNode node)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Children)
        {
            map[((YamlScalarNode)key).Value ?? string.Empty] = ToValue(value);
        }

        return map;
    }

    private static object? ToValue(YamlNode node) => node switch
    {
        YamlMappingNode m => ToMap(m),
        YamlSequenceNode s => s.Children.Select(ToValue).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain } p when IsNull(p.Value) => null,
        YamlScalarNode p => p.Value,
        _ => null,
    };

    private static bool IsNull(string? value) => value is null or "" or "~" or "null" or "Null" or "NULL";

    private static YamlNode ToNode(object? value) => value switch
    {
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        string s => Scalar(s),
        bool b => new YamlScalarNode(b ? "true" : "false") { Style = ScalarStyle.Plain },
        int or long or short => new YamlScalarNode(Convert.ToString(value, CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain },
        double d => new YamlScalarNode(d.ToString("R", CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain },
        IReadOnlyDictionary<string, object?> map => MapNode(map),
        IDictionary<string, object?> map => MapNode(map.AsReadOnly()),
        System.Collections.IEnumerable list => new YamlSequenceNode(list.Cast<object?>().Select(ToNode)),
        _ => Scalar(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    private static YamlMappingNode MapNode(IReadOnlyDictionary<string, object?> map)
    {
        // PyYAML's safe_dump sorts keys; doing the same keeps Keel-written files diffable against MLflow's.
        var node = new YamlMappingNode();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            node.Add(Scalar(key), ToNode(map[key]));
        }

        return node;
    }

    private static YamlScalarNode Scalar(string s)
    {
        // A string that YAML would resolve to another type (number, bool, null, timestamp) or that
        // holds indicator characters is quoted, as PyYAML does; everything else stays plain.
        var plain = SafePlain().IsMatch(s) && !IsNull(s) && !LooksTyped().IsMatch(s);
        return new YamlScalarNode(s) { Style = plain ? ScalarStyle.Plain : ScalarStyle.SingleQuoted };
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_./+-]*$")]
    private static partial Regex SafePlain();

    [GeneratedRegex(@"^([-+]?[0-9_]+(\.[0-9_]*)?([eE][-+]?[0-9]+)?|(?i:true|false|yes|no|on|off|y|n)|\d{4}-\d\d-\d\d.*)$")]
    private static partial Regex LooksTyped();
}
