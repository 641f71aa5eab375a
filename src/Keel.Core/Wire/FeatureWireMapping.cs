using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Core.Wire;

/// <summary>
/// Feature definitions between their file/wire shape and the core records. Reading collects every
/// problem as <c>path: rule</c> (e.g. <c>feature_views[2].ttl: ...</c>) instead of stopping at the first.
/// </summary>
public static class FeatureWireMapping
{
    /// <summary>The dtypes a definition may name, for messages.</summary>
    public static string AllowedDtypes { get; } = string.Join(", ", Enum.GetNames<FeatureDtype>());

    /// <summary>The wire name of a kind: entity, source, feature_view, on_demand_feature_view, feature_service.</summary>
    public static string KindName(FeatureObjectKind kind) => kind switch
    {
        FeatureObjectKind.Entity => "entity",
        FeatureObjectKind.Source => "source",
        FeatureObjectKind.View => "feature_view",
        FeatureObjectKind.OnDemandView => "on_demand_feature_view",
        _ => "feature_service",
    };

    /// <summary>The kind of a wire name (the short forms view, on_demand_view and service too); null when unknown.</summary>
    public static FeatureObjectKind? ParseKind(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "entity" => FeatureObjectKind.Entity,
        "source" => FeatureObjectKind.Source,
        "feature_view" or "view" => FeatureObjectKind.View,
        "on_demand_feature_view" or "on_demand_view" => FeatureObjectKind.OnDemandView,
        "feature_service" or "service" => FeatureObjectKind.Service,
        _ => null,
    };

    /// <summary>Writes a ttl as Feast users write it: <c>1d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>, <c>0</c>; null stays null.</summary>
    public static string? FormatTtl(TimeSpan? ttl)
    {
        if (ttl is not { } t)
        {
            return null;
        }

        var ms = (long)t.TotalMilliseconds;
        var inv = CultureInfo.InvariantCulture;
        return ms == 0 ? "0"
            : ms % 86_400_000 == 0 ? (ms / 86_400_000).ToString(inv) + "d"
            : ms % 3_600_000 == 0 ? (ms / 3_600_000).ToString(inv) + "h"
            : ms % 60_000 == 0 ? (ms / 60_000).ToString(inv) + "m"
            : ms % 1_000 == 0 ? (ms / 1_000).ToString(inv) + "s"
            : ms.ToString(inv) + "ms";
    }

    /// <summary>Parses a ttl (<c>10d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>, <c>250ms</c> or <c>0</c>); false when it is not one.</summary>
    public static bool TryParseTtl(string? text, out TimeSpan? ttl)
    {
        ttl = null;
        if (text is null)
        {
            return true;
        }

        var t = text.Trim();
        if (t == "0")
        {
            ttl = TimeSpan.Zero;
            return true;
        }

        var (digits, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 1L)
            : t.Length > 1 ? (t[..^1], t[^1] switch { 'd' => 86_400_000L, 'h' => 3_600_000L, 'm' => 60_000L, 's' => 1_000L, _ => 0L })
            : (t, 0L);
        if (unit == 0 || digits.Length == 0 || !digits.All(char.IsAsciiDigit) || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100L * 365 * 86_400_000 / unit)
        {
            return false;
        }

        ttl = TimeSpan.FromMilliseconds(n * unit);
        return true;
    }

    /// <summary>The file/wire shape of definitions.</summary>
    public static FeatureDefinitionsWire ToWire(FeatureDefinitions definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return new FeatureDefinitionsWire
        {
            Entities = [.. definitions.Entities.Select(ToWire)],
            Sources = [.. definitions.Sources.Select(ToWire)],
            FeatureViews = [.. definitions.Views.Select(ToWire)],
            OnDemandFeatureViews = [.. definitions.OnDemandViews.Select(ToWire)],
            FeatureServices = [.. definitions.Services.Select(ToWire)],
        };
    }

    /// <summary>An entity's wire shape.</summary>
    public static FeatureEntityWire ToWire(FeatureEntity e) => new() { Name = e.Name, JoinKeys = [.. e.JoinKeys], Description = e.Description };

    /// <summary>A source's wire shape.</summary>
    public static FeatureSourceWire ToWire(FeatureSource s) => new()
    {
        Name = s.Name, Path = s.Path, TimestampField = s.TimestampField, CreatedTimestampColumn = s.CreatedTimestampColumn,
        FieldMapping = s.FieldMapping is { Count: > 0 } m ? new Dictionary<string, string>(m, StringComparer.Ordinal) : null, Description = s.Description,
    };

    /// <summary>A view's wire shape.</summary>
    public static FeatureViewWire ToWire(FeatureView v) => new()
    {
        Name = v.Name, Entities = [.. v.Entities], Source = v.Source, Ttl = FormatTtl(v.Ttl), Online = v.Online ? null : false,
        Features = [.. v.Features.Select(f => new FeatureFieldWire { Name = f.Name, Dtype = f.Dtype.ToString() })],
        Description = v.Description, Tags = v.Tags is { Count: > 0 } t ? new Dictionary<string, string>(t, StringComparer.Ordinal) : null,
    };

    /// <summary>An on-demand view's wire shape.</summary>
    public static OnDemandFeatureViewWire ToWire(OnDemandFeatureView v) => new()
    {
        Name = v.Name, Sources = [.. v.Sources],
        RequestFields = [.. v.RequestFields.Select(f => new FeatureFieldWire { Name = f.Name, Dtype = f.Dtype.ToString() })],
        Features = [.. v.Features.Select(f => new FeatureFieldWire { Name = f.Name, Dtype = f.Dtype.ToString(), Expression = f.Expression })],
        Description = v.Description,
    };

    /// <summary>A service's wire shape.</summary>
    public static FeatureServiceWire ToWire(FeatureService s) => new() { Name = s.Name, Features = [.. s.Features.Select(f => f.ToString())], Description = s.Description };

    /// <summary>Reads definitions, adding a <c>path: rule</c> line to <paramref name="errors"/> for each problem of shape (a required field, a dtype, a ttl, a reference's form).</summary>
    public static FeatureDefinitions FromWire(FeatureDefinitionsWire? wire, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (wire is null)
        {
            return FeatureDefinitions.Empty;
        }

        return new FeatureDefinitions(
            [.. (wire.Entities ?? []).Select((e, i) => FromWire(e, $"entities[{i}]", errors))],
            [.. (wire.Sources ?? []).Select((s, i) => FromWire(s, $"sources[{i}]", errors))],
            [.. (wire.FeatureViews ?? []).Select((v, i) => FromWire(v, $"feature_views[{i}]", errors))],
            [.. (wire.OnDemandFeatureViews ?? []).Select((v, i) => FromWire(v, $"on_demand_feature_views[{i}]", errors))],
            [.. (wire.FeatureServices ?? []).Select((s, i) => FromWire(s, $"feature_services[{i}]", errors))]);
    }

    /// <summary>Reads an entity.</summary>
    public static FeatureEntity FromWire(FeatureEntityWire? e, string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (e is null)
        {
            errors.Add($"{path}: required");
            return new FeatureEntity(string.Empty, []);
        }

        return new FeatureEntity(Required(e.Name, path + ".name", errors), Strings(e.JoinKeys, path + ".join_keys", errors), e.Description);
    }

    /// <summary>Reads a source.</summary>
    public static FeatureSource FromWire(FeatureSourceWire? s, string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (s is null)
        {
            errors.Add($"{path}: required");
            return new FeatureSource(string.Empty, string.Empty, string.Empty);
        }

        return new FeatureSource(
            Required(s.Name, path + ".name", errors), Required(s.Path, path + ".path", errors), Required(s.TimestampField, path + ".timestamp_field", errors),
            string.IsNullOrWhiteSpace(s.CreatedTimestampColumn) ? null : s.CreatedTimestampColumn,
            s.FieldMapping is { Count: > 0 } m ? new Dictionary<string, string>(m, StringComparer.Ordinal) : null, s.Description);
    }

    /// <summary>Reads a feature view.</summary>
    public static FeatureView FromWire(FeatureViewWire? v, string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (v is null)
        {
            errors.Add($"{path}: required");
            return new FeatureView(string.Empty, [], string.Empty, null, []);
        }

        if (!TryParseTtl(v.Ttl, out var ttl))
        {
            errors.Add($"{path}.ttl: '{v.Ttl}' is not a duration (use 10d, 12h, 30m, 45s or 0)");
        }

        return new FeatureView(
            Required(v.Name, path + ".name", errors), Strings(v.Entities, path + ".entities", errors, allowEmpty: true), Required(v.Source, path + ".source", errors),
            ttl, Fields(v.Features, path + ".features", errors), v.Online ?? true, v.Description,
            v.Tags is { Count: > 0 } t ? new Dictionary<string, string>(t, StringComparer.Ordinal) : null);
    }

    /// <summary>Reads an on-demand view.</summary>
    public static OnDemandFeatureView FromWire(OnDemandFeatureViewWire? v, string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (v is null)
        {
            errors.Add($"{path}: required");
            return new OnDemandFeatureView(string.Empty, [], [], []);
        }

        var features = new List<OnDemandFeature>();
        if (v.Features is not { Count: > 0 })
        {
            errors.Add($"{path}.features: at least one feature is required");
        }

        for (var i = 0; i < (v.Features?.Count ?? 0); i++)
        {
            var f = v.Features![i];
            var at = $"{path}.features[{i}]";
            var field = Field(f, at, errors);
            if (string.IsNullOrWhiteSpace(f?.Expression))
            {
                errors.Add($"{at}.expression: required (an expression over request fields and the sources' features)");
            }

            features.Add(new OnDemandFeature(field.Name, field.Dtype, f?.Expression?.Trim() ?? string.Empty));
        }

        return new OnDemandFeatureView(
            Required(v.Name, path + ".name", errors), Strings(v.Sources, path + ".sources", errors, allowEmpty: true),
            v.RequestFields is null ? [] : Fields(v.RequestFields, path + ".request_fields", errors, allowEmpty: true), features, v.Description);
    }

    /// <summary>Reads a feature service.</summary>
    public static FeatureService FromWire(FeatureServiceWire? s, string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (s is null)
        {
            errors.Add($"{path}: required");
            return new FeatureService(string.Empty, []);
        }

        var refs = new List<FeatureReference>();
        if (s.Features is not { Count: > 0 })
        {
            errors.Add($"{path}.features: at least one feature is required");
        }

        for (var i = 0; i < (s.Features?.Count ?? 0); i++)
        {
            if (FeatureReference.TryParse(s.Features![i]) is { } r)
            {
                refs.Add(r);
            }
            else
            {
                errors.Add($"{path}.features[{i}]: '{s.Features[i]}' is not view:feature");
            }
        }

        return new FeatureService(Required(s.Name, path + ".name", errors), refs, s.Description);
    }

    /// <summary>A stored object's wire shape.</summary>
    public static FeatureObjectWire ToWire(StoredFeatureObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var wire = WithDefinition(new FeatureObjectWire { Kind = KindName(o.Kind), Name = o.Name }, o.Definition);
        wire.Version = o.Version;
        wire.CreatedAt = o.CreatedAt;
        wire.UpdatedAt = o.UpdatedAt;
        wire.CreatedBy = o.CreatedBy;
        return wire;
    }

    /// <summary>A change's wire shape.</summary>
    public static FeatureObjectWire ToWire(FeatureObjectChange c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var wire = WithDefinition(new FeatureObjectWire { Kind = KindName(c.Kind), Name = c.Name }, c.Definition);
        wire.NewVersion = c.NewVersion;
        return wire;
    }

    /// <summary>Reads a stored object sent by a server (trusted: a bad one is an error).</summary>
    public static StoredFeatureObject StoredFromWire(FeatureObjectWire w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var errors = new List<string>();
        var (kind, definition) = Definition(w, "object", errors);
        return errors.Count > 0 || definition is null
            ? throw new KeelException(ErrorCode.InternalError, "The server sent a bad feature definition: " + string.Join("; ", errors))
            : new StoredFeatureObject(kind, w.Name ?? string.Empty, w.Version ?? 0, definition, w.CreatedAt ?? 0, w.UpdatedAt ?? 0, w.CreatedBy);
    }

    /// <summary>Reads a change, adding problems to <paramref name="errors"/>.</summary>
    public static FeatureObjectChange ChangeFromWire(FeatureObjectWire? w, string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (w is null)
        {
            errors.Add($"{path}: required");
            return new FeatureObjectChange(FeatureObjectKind.Entity, string.Empty, null, false);
        }

        var (kind, definition) = Definition(w, path, errors);
        return new FeatureObjectChange(kind, Required(w.Name, path + ".name", errors), definition, w.NewVersion ?? false);
    }

    /// <summary>A materialization state's wire shape.</summary>
    public static MaterializationStateWire ToWire(MaterializationState s) => new()
    {
        View = s.View, ViewVersion = s.ViewVersion, Watermark = s.Watermark, Rows = s.Rows, UpdatedAt = s.UpdatedAt, Revision = s.Revision,
    };

    /// <summary>Reads a materialization state.</summary>
    public static MaterializationState FromWire(MaterializationStateWire w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return new MaterializationState(w.View ?? string.Empty, w.ViewVersion ?? 0, w.Watermark ?? 0, w.Rows ?? 0, w.UpdatedAt ?? 0, w.Revision ?? 0);
    }

    private static FeatureObjectWire WithDefinition(FeatureObjectWire wire, object? definition)
    {
        switch (definition)
        {
            case FeatureEntity e: wire.Entity = ToWire(e); break;
            case FeatureSource s: wire.Source = ToWire(s); break;
            case FeatureView v: wire.FeatureView = ToWire(v); break;
            case OnDemandFeatureView v: wire.OnDemandFeatureView = ToWire(v); break;
            case FeatureService s: wire.FeatureService = ToWire(s); break;
        }

        return wire;
    }

    private static (FeatureObjectKind Kind, object? Definition) Definition(FeatureObjectWire w, string path, ICollection<string> errors)
    {
        if (ParseKind(w.Kind) is not { } kind)
        {
            errors.Add($"{path}.kind: '{w.Kind}' is not entity, source, feature_view, on_demand_feature_view or feature_service");
            return (FeatureObjectKind.Entity, null);
        }

        object? definition = kind switch
        {
            FeatureObjectKind.Entity when w.Entity is not null => FromWire(w.Entity, path + ".entity", errors),
            FeatureObjectKind.Source when w.Source is not null => FromWire(w.Source, path + ".source", errors),
            FeatureObjectKind.View when w.FeatureView is not null => FromWire(w.FeatureView, path + ".feature_view", errors),
            FeatureObjectKind.OnDemandView when w.OnDemandFeatureView is not null => FromWire(w.OnDemandFeatureView, path + ".on_demand_feature_view", errors),
            FeatureObjectKind.Service when w.FeatureService is not null => FromWire(w.FeatureService, path + ".feature_service", errors),
            _ => null,
        };
        return (kind, definition);
    }

    private static string Required(string? value, string path, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{path}: required");
            return string.Empty;
        }

        return value.Trim();
    }

    private static List<string> Strings(List<string>? values, string path, ICollection<string> errors, bool allowEmpty = false)
    {
        if (values is null || values.Count == 0)
        {
            if (!allowEmpty)
            {
                errors.Add($"{path}: at least one is required");
            }

            return [];
        }

        var list = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            list.Add(Required(values[i], $"{path}[{i}]", errors));
        }

        return list;
    }

    private static List<FeatureField> Fields(List<FeatureFieldWire>? fields, string path, ICollection<string> errors, bool allowEmpty = false)
    {
        if (fields is not { Count: > 0 })
        {
            if (!allowEmpty)
            {
                errors.Add($"{path}: at least one feature is required");
            }

            return [];
        }

        var list = new List<FeatureField>();
        for (var i = 0; i < fields.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (fields[i]?.Expression is not null)
            {
                errors.Add($"{at}.expression: only on-demand features have an expression");
            }

            list.Add(Field(fields[i], at, errors));
        }

        return list;
    }

    private static FeatureField Field(FeatureFieldWire? f, string path, ICollection<string> errors)
    {
        if (f is null)
        {
            errors.Add($"{path}: required");
            return new FeatureField(string.Empty, FeatureDtype.Int64);
        }

        var name = Required(f.Name, path + ".name", errors);
        var dtype = FeatureValues.ParseDtype(f.Dtype);
        if (dtype is null)
        {
            errors.Add(string.IsNullOrWhiteSpace(f.Dtype) ? $"{path}.dtype: required (one of {AllowedDtypes})" : $"{path}.dtype: '{f.Dtype}' is not a dtype (use one of {AllowedDtypes})");
        }

        return new FeatureField(name, dtype ?? FeatureDtype.Int64);
    }
}
