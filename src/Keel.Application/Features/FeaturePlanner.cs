using Keel.Core.Features;
using Keel.Core.Wire;

namespace Keel.Application.Features;

/// <summary>
/// Compares desired definitions with the registry's catalog, per definition: create, update in
/// place (metadata: description, tags, ttl, online), new version (schema: entities, source, features
/// and dtypes, on-demand expressions, sources and request fields; a source's path, timestamp
/// columns and field mapping; an entity's join keys; a service's features), delete (absent from
/// the desired set, as Feast's apply does) or unchanged. Pure: the safety check is the service's.
/// </summary>
public static class FeaturePlanner
{
    /// <summary>The plan that takes <paramref name="catalog"/> to <paramref name="desired"/>.</summary>
    public static FeaturePlan Plan(FeatureDefinitions desired, FeatureCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(catalog);
        var items = new List<FeaturePlanItem>();
        void Diff<T>(FeatureObjectKind kind, IEnumerable<T> wanted, Func<T, string> name, Func<T, T, (List<string> Schema, List<string> Meta)> compare)
            where T : class
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var w in wanted)
            {
                names.Add(name(w));
                var current = catalog.Find(kind, name(w));
                if (current is null)
                {
                    items.Add(new FeaturePlanItem(kind, name(w), FeaturePlanAction.Create, null, null, "new", w));
                    continue;
                }

                var (schema, meta) = compare((T)current.Definition, w);
                items.Add(schema.Count > 0
                    ? new FeaturePlanItem(kind, name(w), FeaturePlanAction.NewVersion, current.Version, current.Version + 1, string.Join("; ", schema.Concat(meta)), w)
                    : meta.Count > 0
                        ? new FeaturePlanItem(kind, name(w), FeaturePlanAction.Update, current.Version, current.Version, string.Join("; ", meta), w)
                        : new FeaturePlanItem(kind, name(w), FeaturePlanAction.Unchanged, current.Version, current.Version, string.Empty, w));
            }

            foreach (var gone in catalog.Objects.Where(o => o.Kind == kind && !names.Contains(o.Name)).OrderBy(o => o.Name, StringComparer.Ordinal))
            {
                items.Add(new FeaturePlanItem(kind, gone.Name, FeaturePlanAction.Delete, gone.Version, null, "not in the definitions", null));
            }
        }

        Diff<FeatureEntity>(FeatureObjectKind.Entity, desired.Entities, e => e.Name, CompareEntity);
        Diff<FeatureSource>(FeatureObjectKind.Source, desired.Sources, s => s.Name, CompareSource);
        Diff<FeatureView>(FeatureObjectKind.View, desired.Views, v => v.Name, CompareView);
        Diff<OnDemandFeatureView>(FeatureObjectKind.OnDemandView, desired.OnDemandViews, v => v.Name, CompareOnDemand);
        Diff<FeatureService>(FeatureObjectKind.Service, desired.Services, s => s.Name, CompareService);
        return new FeaturePlan(catalog.Revision, items);
    }

    /// <summary>True when two definitions of the same kind are equal in every field.</summary>
    public static bool Same(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        var (schema, meta) = (a, b) switch
        {
            (FeatureEntity x, FeatureEntity y) => CompareEntity(x, y),
            (FeatureSource x, FeatureSource y) => CompareSource(x, y),
            (FeatureView x, FeatureView y) => CompareView(x, y),
            (OnDemandFeatureView x, OnDemandFeatureView y) => CompareOnDemand(x, y),
            (FeatureService x, FeatureService y) => CompareService(x, y),
            _ => (["kind"], new List<string>()),
        };
        return schema.Count == 0 && meta.Count == 0;
    }

    private static (List<string>, List<string>) CompareEntity(FeatureEntity a, FeatureEntity b)
    {
        var schema = new List<string>();
        var meta = new List<string>();
        List(a.JoinKeys, b.JoinKeys, "join_keys", schema);
        Text(a.Description, b.Description, "description", meta);
        return (schema, meta);
    }

    private static (List<string>, List<string>) CompareSource(FeatureSource a, FeatureSource b)
    {
        var schema = new List<string>();
        var meta = new List<string>();
        Text(a.Path, b.Path, "path", schema);
        Text(a.TimestampField, b.TimestampField, "timestamp_field", schema);
        Text(a.CreatedTimestampColumn, b.CreatedTimestampColumn, "created_timestamp_column", schema);
        Map(a.FieldMapping, b.FieldMapping, "field_mapping", schema);
        Text(a.Description, b.Description, "description", meta);
        return (schema, meta);
    }

    private static (List<string>, List<string>) CompareView(FeatureView a, FeatureView b)
    {
        var schema = new List<string>();
        var meta = new List<string>();
        List(a.Entities, b.Entities, "entities", schema);
        Text(a.Source, b.Source, "source", schema);
        Fields(a.Features.Select(f => (f.Name, f.Dtype.ToString(), (string?)null)).ToList(), b.Features.Select(f => (f.Name, f.Dtype.ToString(), (string?)null)).ToList(), "features", schema);
        Text(FeatureWireMapping.FormatTtl(a.Ttl), FeatureWireMapping.FormatTtl(b.Ttl), "ttl", meta);
        if (a.Online != b.Online)
        {
            meta.Add($"online {a.Online} → {b.Online}".ToLowerInvariant());
        }

        Text(a.Description, b.Description, "description", meta);
        Map(a.Tags, b.Tags, "tags", meta);
        return (schema, meta);
    }

    private static (List<string>, List<string>) CompareOnDemand(OnDemandFeatureView a, OnDemandFeatureView b)
    {
        var schema = new List<string>();
        var meta = new List<string>();
        List(a.Sources, b.Sources, "sources", schema);
        Fields(a.RequestFields.Select(f => (f.Name, f.Dtype.ToString(), (string?)null)).ToList(), b.RequestFields.Select(f => (f.Name, f.Dtype.ToString(), (string?)null)).ToList(), "request_fields", schema);
        Fields(a.Features.Select(f => (f.Name, f.Dtype.ToString(), (string?)f.Expression)).ToList(), b.Features.Select(f => (f.Name, f.Dtype.ToString(), (string?)f.Expression)).ToList(), "features", schema);
        Text(a.Description, b.Description, "description", meta);
        return (schema, meta);
    }

    private static (List<string>, List<string>) CompareService(FeatureService a, FeatureService b)
    {
        var schema = new List<string>();
        var meta = new List<string>();
        List([.. a.Features.Select(f => f.ToString())], [.. b.Features.Select(f => f.ToString())], "features", schema);
        Text(a.Description, b.Description, "description", meta);
        return (schema, meta);
    }

    private static void Text(string? a, string? b, string what, List<string> changes)
    {
        if (!string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.Ordinal))
        {
            changes.Add(what == "description" ? "description" : $"{what} {a ?? "(none)"} → {b ?? "(none)"}");
        }
    }

    private static void List(IReadOnlyList<string> a, IReadOnlyList<string> b, string what, List<string> changes)
    {
        if (!a.SequenceEqual(b, StringComparer.Ordinal))
        {
            changes.Add($"{what} [{string.Join(", ", a)}] → [{string.Join(", ", b)}]");
        }
    }

    private static void Map(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b, string what, List<string> changes)
    {
        var x = a ?? new Dictionary<string, string>();
        var y = b ?? new Dictionary<string, string>();
        if (x.Count != y.Count || x.Any(p => !y.TryGetValue(p.Key, out var v) || v != p.Value))
        {
            changes.Add(what);
        }
    }

    private static void Fields(List<(string Name, string Dtype, string? Expression)> a, List<(string Name, string Dtype, string? Expression)> b, string what, List<string> changes)
    {
        if (a.SequenceEqual(b))
        {
            return;
        }

        var parts = new List<string>();
        var before = a.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var after = b.ToDictionary(f => f.Name, StringComparer.Ordinal);
        parts.AddRange(b.Where(f => !before.ContainsKey(f.Name)).Select(f => "+" + f.Name));
        parts.AddRange(a.Where(f => !after.ContainsKey(f.Name)).Select(f => "-" + f.Name));
        foreach (var f in b.Where(f => before.ContainsKey(f.Name)))
        {
            var old = before[f.Name];
            if (old.Dtype != f.Dtype)
            {
                parts.Add($"{f.Name} {old.Dtype} → {f.Dtype}");
            }

            if (old.Expression != f.Expression)
            {
                parts.Add($"{f.Name} expression changed");
            }
        }

        changes.Add($"{what}: " + (parts.Count == 0 ? "reordered" : string.Join(", ", parts)));
    }
}
