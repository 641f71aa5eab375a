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
