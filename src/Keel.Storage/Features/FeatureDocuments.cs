using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Storage.Features;

/// <summary>Core feature definitions to and from their stored documents (FeatureStoredShapes.cs).</summary>
internal static class FeatureDocuments
{
    public const int Current = 1;

    public static string KindName(FeatureObjectKind kind) => kind switch
    {
        FeatureObjectKind.Entity => "entity",
        FeatureObjectKind.Source => "source",
        FeatureObjectKind.View => "feature_view",
        FeatureObjectKind.OnDemandView => "on_demand_feature_view",
        _ => "feature_service",
    };

    public static FeatureObjectKind Kind(string name) => name switch
    {
        "entity" => FeatureObjectKind.Entity,
        "source" => FeatureObjectKind.Source,
        "feature_view" => FeatureObjectKind.View,
        "on_demand_feature_view" => FeatureObjectKind.OnDemandView,
        "feature_service" => FeatureObjectKind.Service,
        _ => throw new KeelException(ErrorCode.InternalError, $"Unknown stored feature kind '{name}'."),
    };

    public static bool Matches(FeatureObjectKind kind, object definition) => (kind, definition) switch
    {
        (FeatureObjectKind.Entity, FeatureEntity) => true,
        (FeatureObjectKind.Source, FeatureSource) => true,
        (FeatureObjectKind.View, FeatureView) => true,
        (FeatureObjectKind.OnDemandView, OnDemandFeatureView) => true,
        (FeatureObjectKind.Service, FeatureService) => true,
        _ => false,
    };

    public static string Write(object definition) => definition switch
    {
        FeatureEntity e => JsonSerializer.Serialize(new StoredEntityRecord(Current, [.. e.JoinKeys], e.Description), FeatureStorageJson.Default.StoredEntityRecord),
        FeatureSource s => JsonSerializer.Serialize(
            new StoredSourceRecord(Current, s.Path, s.TimestampField, s.CreatedTimestampColumn, Copy(s.FieldMapping), s.Description), FeatureStorageJson.Default.StoredSourceRecord),
        FeatureView v => JsonSerializer.Serialize(
            new StoredViewRecord(
                Current, [.. v.Entities], v.Source, v.Ttl is { } t ? (long)t.TotalMilliseconds : null,
                [.. v.Features.Select(f => new StoredFieldRecord(f.Name, f.Dtype.ToString()))], v.Online, v.Description, Copy(v.Tags)),
            FeatureStorageJson.Default.StoredViewRecord),
        OnDemandFeatureView v => JsonSerializer.Serialize(
            new StoredOnDemandViewRecord(
                Current, [.. v.Sources], [.. v.RequestFields.Select(f => new StoredFieldRecord(f.Name, f.Dtype.ToString()))],
                [.. v.Features.Select(f => new StoredFieldRecord(f.Name, f.Dtype.ToString(), f.Expression))], v.Description),
            FeatureStorageJson.Default.StoredOnDemandViewRecord),
        FeatureService s => JsonSerializer.Serialize(new StoredServiceRecord(Current, [.. s.Features.Select(f => f.ToString())], s.Description), FeatureStorageJson.Default.StoredServiceRecord),
        _ => throw KeelException.InvalidParameter($"Not a feature definition: {definition?.GetType().Name ?? "null"}."),
    };

    public static object Read(FeatureObjectKind kind, string name, string json)
    {
        switch (kind)
        {
            case FeatureObjectKind.Entity:
                var e = Check(JsonSerializer.Deserialize(json, FeatureStorageJson.Default.StoredEntityRecord), r => r.V, kind, name);
                return new FeatureEntity(name, e.JoinKeys, e.Description);
            case FeatureObjectKind.Source:
                var s = Check(JsonSerializer.Deserialize(json, FeatureStorageJson.Default.StoredSourceRecord), r => r.V, kind, name);
                return new FeatureSource(name, s.Path, s.TimestampField, s.CreatedTimestampColumn, s.FieldMapping, s.Description);
            case FeatureObjectKind.View:
                var v = Check(JsonSerializer.Deserialize(json, FeatureStorageJson.Default.StoredViewRecord), r => r.V, kind, name);
                return new FeatureView(
                    name, v.Entities, v.Source, v.TtlMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                    [.. v.Features.Select(f => new FeatureField(f.Name, Dtype(f.Dtype)))], v.Online, v.Description, v.Tags);
            case FeatureObjectKind.OnDemandView:
                var o = Check(JsonSerializer.Deserialize(json, FeatureStorageJson.Default.StoredOnDemandViewRecord), r => r.V, kind, name);
                return new OnDemandFeatureView(
                    name, o.Sources, [.. o.RequestFields.Select(f => new FeatureField(f.Name, Dtype(f.Dtype)))],
                    [.. o.Features.Select(f => new OnDemandFeature(f.Name, Dtype(f.Dtype), f.Expression ?? string.Empty))], o.Description);
            default:
                var svc = Check(JsonSerializer.Deserialize(json, FeatureStorageJson.Default.StoredServiceRecord), r => r.V, kind, name);
                return new FeatureService(name, [.. svc.Features.Select(f => FeatureReference.TryParse(f) ?? new FeatureReference(f, string.Empty))], svc.Description);
        }
    }

    private static Dictionary<string, string>? Copy(IReadOnlyDictionary<string, string>? map) =>
        map is { Count: > 0 } ? new Dictionary<string, string>(map, StringComparer.Ordinal) : null;

    private static FeatureDtype Dtype(string name) =>
        FeatureValues.ParseDtype(name) ?? throw new KeelException(ErrorCode.InternalError, $"Unknown stored feature dtype '{name}'.");

    private static T Check<T>(T? record, Func<T, int> version, FeatureObjectKind kind, string name)
        where T : class =>
        record is null || version(record) != Current
            ? throw new KeelException(ErrorCode.InternalError, $"The stored {KindName(kind)} '{name}' has an unknown shape (version {(record is null ? "none" : version(record))}); upgrade Keel.")
            : record;
}
