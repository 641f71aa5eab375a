using Keel.Core.Errors;
using Keel.Core.Search;

namespace Keel.Compute.Search;

/// <summary>
/// The entities and keys one search (runs or experiments) understands: it turns a lexed
/// identifier into a canonical <see cref="KeySpec"/> for filters or a key for order-by.
/// </summary>
internal sealed class SearchSchema
{
    // Declared before Runs/Experiments so static initialisation order never sees it null.
    private static readonly IReadOnlyDictionary<string, KeySpec> DatasetKeys =
        new[] { "name", "digest", "context" }.ToDictionary(
            k => k,
            k => new KeySpec(SearchEntity.Dataset, k, ValueKind.String, Comparators.StringOrList,
                raw => $"Expected a quoted string value for dataset attributes. Got value {raw}"));

    private readonly IReadOnlyDictionary<string, SearchEntity> _prefixes;
    private readonly string _validEntities;
    private readonly IReadOnlyDictionary<string, KeySpec> _attributes;
    private readonly string _validAttributes;
    private readonly IReadOnlyDictionary<string, string> _orderAttributes;
    private readonly bool _attributesOnlyOrder;

    private SearchSchema(
        IReadOnlyDictionary<string, SearchEntity> prefixes,
        string validEntities,
        IReadOnlyDictionary<string, KeySpec> attributes,
        IReadOnlyDictionary<string, string> orderAttributes,
        bool attributesOnlyOrder)
    {
        _prefixes = prefixes;
        _validEntities = validEntities;
        _attributes = attributes;
        _validAttributes = Quote(attributes.Values.Select(s => s.Key).Distinct());
        _orderAttributes = orderAttributes;
        _attributesOnlyOrder = attributesOnlyOrder;
    }

    public static SearchSchema Runs { get; } = BuildRuns();

    public static SearchSchema Experiments { get; } = BuildExperiments();

    public static SearchSchema RegisteredModels { get; } = BuildRegistry(modelVersions: false);

    public static SearchSchema ModelVersions { get; } = BuildRegistry(modelVersions: true);

    public KeySpec ResolveFilterKey(FilterToken identifier)
    {
        var (entity, key) = Split(identifier);
        return entity switch
        {
            SearchEntity.Metric => new KeySpec(entity, key, ValueKind.Number, Comparators.Numeric,
                raw => $"Expected numeric value type for metric. Found {raw}"),
            SearchEntity.Param => new KeySpec(entity, key, ValueKind.String, Comparators.StringOrNull,
                raw => $"Parameter value is either not quoted or unidentified quote types used for string value {raw}. Use either single or double quotes."),
            SearchEntity.Tag => new KeySpec(entity, key, ValueKind.String, Comparators.StringOrNull,
                raw => $"Tag value is either not quoted or unidentified quote types used for string value {raw}. Use either single or double quotes."),
            SearchEntity.Dataset => DatasetKeys.TryGetValue(key, out var dataset)
                ? dataset
                : throw KeelException.InvalidParameter(
                    $"Invalid dataset key '{key}' specified. Valid keys are {Quote(DatasetKeys.Keys)}"),
            _ => _attributes.TryGetValue(key, out var spec)
                ? spec
                : throw KeelException.InvalidParameter(
                    $"Invalid attribute key '{key}' specified. Valid keys are {_validAttributes}"),
        };
    }

    public (SearchEntity Entity, string Key) ResolveOrderKey(FilterToken identifier, string clause)
    {
        var (entity, key) = Split(identifier);
        if (entity == SearchEntity.Attribute)
        {
            return _orderAttributes.TryGetValue(key, out var canonical)
                ? (entity, canonical)
                : throw KeelException.InvalidParameter(
                    $"Invalid order_by clause '{clause}'. Invalid attribute key '{key}' specified. Valid keys are {Quote(_orderAttributes.Values.Distinct())}");
        }

        // Ordering by dataset fields is not something MLflow's stores support either.
        if (_attributesOnlyOrder || entity == SearchEntity.Dataset)
        {
            throw KeelException.InvalidParameter(
                $"Invalid order_by clause '{clause}'. Ordering by {entity.ToString().ToLowerInvariant()} is not supported.");
        }

        return (entity, key);
    }

    /// <summary>
    /// The first part names the entity when there is more than one; the rest, rejoined, is the
    /// key, so <c>tags.mlflow.runName</c> means tag <c>mlflow.runName</c>. A lone name is an attribute.
    /// </summary>
    private (SearchEntity Entity, string Key) Split(FilterToken identifier)
    {
        var parts = identifier.Parts;
        SearchEntity entity;
        string key;
        if (parts.Count == 1)
        {
            (entity, key) = (SearchEntity.Attribute, parts[0].Text);
        }
        else
        {
            if (!_prefixes.TryGetValue(parts[0].Text, out entity))
            {
                throw KeelException.InvalidParameter(
                    $"Invalid entity type '{parts[0].Text}'. Valid values are {_validEntities}");
            }

            key = string.Join(".", parts.Skip(1).Select(p => p.Text));
        }

        if (key.Length == 0)
        {
            throw KeelException.InvalidParameter($"Invalid identifier '{identifier.Raw}': the key is empty.");
        }

        return (entity, key);
    }

    private static SearchSchema BuildRuns()
    {
        var prefixes = new Dictionary<string, SearchEntity>
        {
            ["metric"] = SearchEntity.Metric,
            ["metrics"] = SearchEntity.Metric,
            ["param"] = SearchEntity.Param,
            ["params"] = SearchEntity.Param,
            ["parameter"] = SearchEntity.Param,
            ["parameters"] = SearchEntity.Param,
            ["tag"] = SearchEntity.Tag,
            ["tags"] = SearchEntity.Tag,
            ["attribute"] = SearchEntity.Attribute,
            ["attributes"] = SearchEntity.Attribute,
            ["attr"] = SearchEntity.Attribute,
            ["run"] = SearchEntity.Attribute,
            ["dataset"] = SearchEntity.Dataset,
            ["datasets"] = SearchEntity.Dataset,
        };

        // Insertion order matters: the first spelling of each key appears in error messages.
        var attributes = new Dictionary<string, KeySpec>();
        AddString(attributes, "run_id", Comparators.StringOrList);
        AddString(attributes, "run_name", Comparators.String, "Run name", "run name", "Run Name");
        AddString(attributes, "status", Comparators.String);
        AddString(attributes, "user_id", Comparators.String);
        AddString(attributes, "artifact_uri", Comparators.String);
        AddNumber(attributes, "start_time", "created", "Created");
        AddNumber(attributes, "end_time");

        var order = new Dictionary<string, string>();
        foreach (var key in new[] { "run_id", "run_name", "status", "user_id", "start_time", "end_time", "artifact_uri", "experiment_id" })
        {
            order[key] = key;
        }

        order["created"] = "start_time";
        order["Created"] = "start_time";
        order["Run name"] = "run_name";

        return new SearchSchema(prefixes, "['metric', 'parameter', 'tag', 'attribute', 'dataset']", attributes, order, false);
    }

    private static SearchSchema BuildExperiments()
    {
        var prefixes = TagAndAttributePrefixes();

        var attributes = new Dictionary<string, KeySpec>();
        AddString(attributes, "name", Comparators.String);
        AddNumber(attributes, "creation_time");
        AddNumber(attributes, "last_update_time");

        var order = new[] { "name", "experiment_id", "creation_time", "last_update_time" }.ToDictionary(k => k, k => k);
        return new SearchSchema(prefixes, "['attribute', 'tag']", attributes, order, true);
    }

    /// <summary>
    /// Registered models filter on name and tags; model versions add run_id (with IN), source_path
    /// and version_number. Both order only by attributes; <c>timestamp</c> means creation_timestamp.
    /// </summary>
    private static SearchSchema BuildRegistry(bool modelVersions)
    {
        var prefixes = TagAndAttributePrefixes();

        var attributes = new Dictionary<string, KeySpec>();
        AddString(attributes, "name", Comparators.String);
        var order = new Dictionary<string, string> { ["name"] = "name" };
        if (modelVersions)
        {
            AddString(attributes, "run_id", Comparators.StringOrList);
            AddString(attributes, "source_path", Comparators.String);
            AddNumber(attributes, "version_number");
            order["version_number"] = "version_number";
        }

        order["creation_timestamp"] = "creation_timestamp";
        order["timestamp"] = "creation_timestamp";
        order["last_updated_timestamp"] = "last_updated_timestamp";
        return new SearchSchema(prefixes, "['attribute', 'tag']", attributes, order, true);
    }

    private static void AddString(Dictionary<string, KeySpec> map, string key, IReadOnlyList<Comparator> allowed, params string[] aliases)
    {
        var spec = new KeySpec(SearchEntity.Attribute, key, ValueKind.String, allowed,
            raw => $"Expected a quoted string value for attributes. Got value {raw}");
        foreach (var name in aliases.Prepend(key))
        {
            map[name] = spec;
        }
    }

    private static void AddNumber(Dictionary<string, KeySpec> map, string key, params string[] aliases)
    {
        var spec = new KeySpec(SearchEntity.Attribute, key, ValueKind.Number, Comparators.Numeric,
            raw => $"Expected numeric value type for numeric attribute: {key}. Found {raw}");
        foreach (var name in aliases.Prepend(key))
        {
            map[name] = spec;
        }
    }

    private static string Quote(IEnumerable<string> keys) => $"[{string.Join(", ", keys.Select(k => $"'{k}'"))}]";

    /// <summary>The entity prefixes of searches that filter on tags and attributes only (experiments, registry).</summary>
    private static Dictionary<string, SearchEntity> TagAndAttributePrefixes() => new()
    {
        ["tag"] = SearchEntity.Tag,
        ["tags"] = SearchEntity.Tag,
        ["attribute"] = SearchEntity.Attribute,
        ["attributes"] = SearchEntity.Attribute,
        ["attr"] = SearchEntity.Attribute,
    };
}
