using System.Globalization;
using System.Text;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Core.Wire;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Application.Features;

/// <summary>
/// Feature definitions in YAML with Feast's names (<c>entities</c>, <c>sources</c>, <c>feature_views</c>,
/// <c>on_demand_feature_views</c>, <c>feature_services</c>). Every problem is collected and reported
/// together, each naming its place (<c>feature_views[2].ttl: ...</c>); an unknown key is refused, so a
/// typo never becomes a silently ignored setting. Relative source paths are resolved against the
/// file's folder and stored absolute.
/// </summary>
public static class FeatureDefinitionsYaml
{
    private static readonly string[] TopKeys = ["entities", "sources", "feature_views", "on_demand_feature_views", "feature_services"];
    private static readonly string[] EntityKeys = ["name", "join_keys", "description"];
    private static readonly string[] SourceKeys = ["name", "path", "timestamp_field", "created_timestamp_column", "field_mapping", "description"];
    private static readonly string[] ViewKeys = ["name", "entities", "source", "ttl", "online", "features", "description", "tags"];
    private static readonly string[] OnDemandKeys = ["name", "sources", "request_fields", "features", "description"];
    private static readonly string[] ServiceKeys = ["name", "features", "description"];
    private static readonly string[] FieldKeys = ["name", "dtype"];
    private static readonly string[] OnDemandFieldKeys = ["name", "dtype", "expression"];

    /// <summary>Reads and validates a definitions file.</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE listing every problem.</exception>
    public static FeatureDefinitions ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw KeelException.InvalidParameter($"Cannot read feature definitions file '{path}': {e.Message}");
        }

        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)), path);
    }

    /// <summary>Reads and validates definitions.</summary>
    /// <param name="text">The YAML (or JSON).</param>
    /// <param name="baseDirectory">The folder relative source paths are resolved against; null: the current directory.</param>
    /// <param name="source">Names the text in messages.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE listing every problem.</exception>
    public static FeatureDefinitions Parse(string text, string? baseDirectory = null, string source = "feature definitions")
    {
        var errors = new List<string>();
        var wire = ReadWire(text, source, errors);
        var definitions = FeatureWireMapping.FromWire(wire, errors);
        definitions = FeatureDefinitionsValidator.ResolvePaths(definitions, baseDirectory ?? Directory.GetCurrentDirectory());
        FeatureDefinitionsValidator.Validate(definitions, errors);
        FeatureDefinitionsValidator.ThrowIfAny(errors, source);
        return definitions;
    }

    /// <summary>Writes definitions as YAML that <see cref="Parse"/> reads back to the same definitions.</summary>
    public static string Write(FeatureDefinitions definitions)
    {
        var wire = FeatureWireMapping.ToWire(definitions);
        var b = new StringBuilder();
        if (wire.Entities is { Count: > 0 })
        {
            b.Append("entities:\n");
            foreach (var e in wire.Entities)
            {
                b.Append("  - name: ").Append(Q(e.Name)).Append('\n');
                b.Append("    join_keys: ").Append(Flow(e.JoinKeys)).Append('\n');
                Opt(b, "    ", "description", e.Description);
            }
        }

        if (wire.Sources is { Count: > 0 })
        {
            b.Append("sources:\n");
            foreach (var s in wire.Sources)
            {
                b.Append("  - name: ").Append(Q(s.Name)).Append('\n');
                b.Append("    path: ").Append(Q(s.Path)).Append('\n');
                b.Append("    timestamp_field: ").Append(Q(s.TimestampField)).Append('\n');
                Opt(b, "    ", "created_timestamp_column", s.CreatedTimestampColumn);
                Map(b, "    ", "field_mapping", s.FieldMapping);
                Opt(b, "    ", "description", s.Description);
            }
        }

        if (wire.FeatureViews is { Count: > 0 })
        {
            b.Append("feature_views:\n");
            foreach (var v in wire.FeatureViews)
            {
                b.Append("  - name: ").Append(Q(v.Name)).Append('\n');
                b.Append("    entities: ").Append(Flow(v.Entities)).Append('\n');
                b.Append("    source: ").Append(Q(v.Source)).Append('\n');
                Opt(b, "    ", "ttl", v.Ttl);
                if (v.Online == false)
                {
                    b.Append("    online: false\n");
                }

                b.Append("    features:\n");
                foreach (var f in v.Features ?? [])
                {
                    b.Append("      - {name: ").Append(Q(f.Name)).Append(", dtype: ").Append(f.Dtype).Append("}\n");
                }

                Opt(b, "    ", "description", v.Description);
                Map(b, "    ", "tags", v.Tags);
            }
        }

        if (wire.OnDemandFeatureViews is { Count: > 0 })
        {
            b.Append("on_demand_feature_views:\n");
            foreach (var v in wire.OnDemandFeatureViews)
            {
                b.Append("  - name: ").Append(Q(v.Name)).Append('\n');
                b.Append("    sources: ").Append(Flow(v.Sources)).Append('\n');
                b.Append("    request_fields:").Append(v.RequestFields is { Count: > 0 } ? "\n" : " []\n");
                foreach (var f in v.RequestFields ?? [])
                {
                    b.Append("      - {name: ").Append(Q(f.Name)).Append(", dtype: ").Append(f.Dtype).Append("}\n");
                }

                b.Append("    features:\n");
                foreach (var f in v.Features ?? [])
                {
                    b.Append("      - {name: ").Append(Q(f.Name)).Append(", dtype: ").Append(f.Dtype).Append(", expression: ").Append(Q(f.Expression)).Append("}\n");
                }

                Opt(b, "    ", "description", v.Description);
            }
        }

        if (wire.FeatureServices is { Count: > 0 })
        {
            b.Append("feature_services:\n");
            foreach (var s in wire.FeatureServices)
            {
                b.Append("  - name: ").Append(Q(s.Name)).Append('\n');
                b.Append("    features: ").Append(Flow(s.Features)).Append('\n');
                Opt(b, "    ", "description", s.Description);
            }
        }

        return b.Length == 0 ? "{}\n" : b.ToString();
    }

    internal static FeatureDefinitionsWire ReadWire(string text, string source, List<string> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text ?? string.Empty));
        }
        catch (YamlException e)
        {
            throw KeelException.InvalidParameter($"{source} is not valid YAML at line {e.Start.Line}: {e.Message}");
        }

        var wire = new FeatureDefinitionsWire();
        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (root is null || root is YamlScalarNode { Value: null or "" })
        {
            return wire;
        }

        if (root is not YamlMappingNode top)
        {
            errors.Add($"{source}: expected a mapping with keys {string.Join(", ", TopKeys)}");
            return wire;
        }

        foreach (var (keyNode, value) in top.Children)
        {
            var key = Key(keyNode);
            switch (key)
            {
                case "entities": wire.Entities = Items(value, key, errors, EntityKeys, Entity); break;
                case "sources": wire.Sources = Items(value, key, errors, SourceKeys, Source); break;
                case "feature_views": wire.FeatureViews = Items(value, key, errors, ViewKeys, View); break;
                case "on_demand_feature_views": wire.OnDemandFeatureViews = Items(value, key, errors, OnDemandKeys, OnDemand); break;
                case "feature_services": wire.FeatureServices = Items(value, key, errors, ServiceKeys, Service); break;
                default: errors.Add($"{key}: unknown key (line {keyNode.Start.Line}; allowed: {string.Join(", ", TopKeys)})"); break;
            }
        }

        return wire;
    }

    private static FeatureEntityWire Entity(Dictionary<string, YamlNode> m, string path, List<string> errors) => new()
    {
        Name = Scalar(m, "name", path, errors), JoinKeys = List(m, "join_keys", path, errors), Description = Scalar(m, "description", path, errors),
    };

    private static FeatureSourceWire Source(Dictionary<string, YamlNode> m, string path, List<string> errors) => new()
    {
        Name = Scalar(m, "name", path, errors), Path = Scalar(m, "path", path, errors), TimestampField = Scalar(m, "timestamp_field", path, errors),
        CreatedTimestampColumn = Scalar(m, "created_timestamp_column", path, errors), FieldMapping = Dict(m, "field_mapping", path, errors),
        Description = Scalar(m, "description", path, errors),
    };

    private static FeatureViewWire View(Dictionary<string, YamlNode> m, string path, List<string> errors)
    {
        var online = Scalar(m, "online", path, errors);
        bool? flag = online is null ? null : bool.TryParse(online, out var b) ? b : null;
        if (online is not null && flag is null)
        {
            errors.Add($"{path}.online: '{online}' is not true or false");
        }

        return new FeatureViewWire
        {
            Name = Scalar(m, "name", path, errors), Entities = List(m, "entities", path, errors), Source = Scalar(m, "source", path, errors),
            Ttl = Scalar(m, "ttl", path, errors), Online = flag, Features = Fields(m, "features", path, errors, FieldKeys),
            Description = Scalar(m, "description", path, errors), Tags = Dict(m, "tags", path, errors),
        };
    }

    private static OnDemandFeatureViewWire OnDemand(Dictionary<string, YamlNode> m, string path, List<string> errors) => new()
    {
        Name = Scalar(m, "name", path, errors), Sources = List(m, "sources", path, errors),
        RequestFields = Fields(m, "request_fields", path, errors, FieldKeys), Features = Fields(m, "features", path, errors, OnDemandFieldKeys),
        Description = Scalar(m, "description", path, errors),
    };

    private static FeatureServiceWire Service(Dictionary<string, YamlNode> m, string path, List<string> errors)
    {
        var features = new List<string>();
        if (m.TryGetValue("features", out var node))
        {
            if (node is not YamlSequenceNode seq)
            {
                errors.Add($"{path}.features: expected a list of view:feature");
            }
            else
            {
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    switch (seq.Children[i])
                    {
                        case YamlScalarNode s:
                            features.Add(s.Value ?? string.Empty);
                            break;

                        // Feast's shape: `- view: [f1, f2]`.
                        case YamlMappingNode viewMap:
                            foreach (var (k, v) in viewMap.Children)
                            {
                                if (v is YamlSequenceNode names && names.Children.All(n => n is YamlScalarNode))
                                {
                                    features.AddRange(names.Children.Select(n => Key(k) + ":" + ((YamlScalarNode)n).Value));
                                }
                                else
                                {
                                    errors.Add($"{path}.features[{i}].{Key(k)}: expected a list of feature names");
                                }
                            }

                            break;
                        default:
                            errors.Add($"{path}.features[{i}]: expected view:feature");
                            break;
                    }
                }
            }
        }

        return new FeatureServiceWire { Name = Scalar(m, "name", path, errors), Features = m.ContainsKey("features") ? features : null, Description = Scalar(m, "description", path, errors) };
    }

    private static List<T> Items<T>(YamlNode node, string key, List<string> errors, string[] allowed, Func<Dictionary<string, YamlNode>, string, List<string>, T> read)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlSequenceNode seq)
        {
            errors.Add($"{key}: expected a list");
            return [];
        }

        var items = new List<T>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{key}[{i}]");
            if (Mapping(seq.Children[i], path, allowed, errors) is { } m)
            {
                items.Add(read(m, path, errors));
            }
        }

        return items;
    }

    private static Dictionary<string, YamlNode>? Mapping(YamlNode node, string path, string[] allowed, List<string> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add($"{path}: expected a mapping of keys to values");
            return null;
        }

        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var key = Key(k);
            if (!allowed.Contains(key))
            {
                errors.Add($"{path}.{key}: unknown key (allowed: {string.Join(", ", allowed)})");
            }
            else
            {
                result[key] = v;
            }
        }

        return result;
    }

    private static string? Scalar(Dictionary<string, YamlNode> m, string key, string path, List<string> errors)
    {
        if (!m.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode s)
        {
            return s.Value;
        }

        errors.Add($"{path}.{key}: expected a single value");
        return null;
    }

    private static List<string>? List(Dictionary<string, YamlNode> m, string key, string path, List<string> errors)
    {
        if (!m.TryGetValue(key, out var node))
        {
            return null;
        }

        switch (node)
        {
            case YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode):
                return [.. seq.Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty)];
            case YamlScalarNode { Value: { Length: > 0 } one }:
                return [one];
            case YamlScalarNode:
                return [];
            default:
                errors.Add($"{path}.{key}: expected a list of names");
                return null;
        }
    }

    private static Dictionary<string, string>? Dict(Dictionary<string, YamlNode> m, string key, string path, List<string> errors)
    {
        if (!m.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        if (node is not YamlMappingNode map || !map.Children.Values.All(v => v is YamlScalarNode))
        {
            errors.Add($"{path}.{key}: expected a mapping of names to values");
            return null;
        }

        return map.Children.ToDictionary(c => Key(c.Key), c => ((YamlScalarNode)c.Value).Value ?? string.Empty, StringComparer.Ordinal);
    }

    private static List<FeatureFieldWire>? Fields(Dictionary<string, YamlNode> m, string key, string path, List<string> errors, string[] allowed)
    {
        if (!m.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlSequenceNode seq)
        {
            errors.Add($"{path}.{key}: expected a list of {{name, dtype}}");
            return null;
        }

        var fields = new List<FeatureFieldWire>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{path}.{key}[{i}]");
            if (Mapping(seq.Children[i], at, allowed, errors) is { } f)
            {
                fields.Add(new FeatureFieldWire { Name = Scalar(f, "name", at, errors), Dtype = Scalar(f, "dtype", at, errors), Expression = Scalar(f, "expression", at, errors) });
            }
        }

        return fields;
    }

    private static string Key(YamlNode node) => (node as YamlScalarNode)?.Value ?? node.ToString();

    private static void Opt(StringBuilder b, string indent, string key, string? value)
    {
        if (value is not null)
        {
            b.Append(indent).Append(key).Append(": ").Append(Q(value)).Append('\n');
        }
    }

    private static void Map(StringBuilder b, string indent, string key, Dictionary<string, string>? map)
    {
        if (map is { Count: > 0 })
        {
            b.Append(indent).Append(key).Append(":\n");
            foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                b.Append(indent).Append("  ").Append(Q(k)).Append(": ").Append(Q(v)).Append('\n');
            }
        }
    }

    private static string Flow(IEnumerable<string>? items) => "[" + string.Join(", ", (items ?? []).Select(Q)) + "]";

    // Double-quoted YAML scalars, so any text round-trips.
    private static string Q(string? value)
    {
        var b = new StringBuilder("\"");
        foreach (var c in value ?? string.Empty)
        {
            _ = c switch
            {
                '"' => b.Append("\\\""),
                '\\' => b.Append("\\\\"),
                '\n' => b.Append("\\n"),
                '\t' => b.Append("\\t"),
                '\r' => b.Append("\\r"),
                < ' ' => b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => b.Append(c),
            };
        }

        return b.Append('"').ToString();
    }
}
