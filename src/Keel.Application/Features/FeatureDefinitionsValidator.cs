using System.Text.RegularExpressions;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Application.Features;

/// <summary>
/// The rules a set of definitions must keep, checked once above the ports for YAML, the C# builder
/// and API requests alike. Each problem is a line <c>path: rule</c>, with the path of the YAML file
/// (<c>feature_views[0].entities[1]: no entity named 'drivr'</c>).
/// </summary>
public static partial class FeatureDefinitionsValidator
{
    /// <summary>Reports every problem together, as one INVALID_PARAMETER_VALUE.</summary>
    /// <exception cref="KeelException">When <paramref name="errors"/> is not empty.</exception>
    public static void ThrowIfAny(IReadOnlyCollection<string> errors, string source = "feature definitions")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0)
        {
            var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
            throw KeelException.InvalidParameter(
                $"Invalid {source} ({distinct.Count} problem{(distinct.Count == 1 ? string.Empty : "s")}):\n  " + string.Join("\n  ", distinct));
        }
    }

    /// <summary>Validates definitions, throwing every problem at once.</summary>
    public static void Check(FeatureDefinitions definitions, string source = "feature definitions")
    {
        var errors = new List<string>();
        Validate(definitions, errors);
        ThrowIfAny(errors, source);
    }

    /// <summary>True for a path Keel keeps as written: a dataset URI or another URI.</summary>
    public static bool IsUri(string path) => path.StartsWith("datasets:/", StringComparison.Ordinal) || path.Contains("://", StringComparison.Ordinal);

    /// <summary>The definitions with every relative source path made absolute against <paramref name="baseDirectory"/>.</summary>
    public static FeatureDefinitions ResolvePaths(FeatureDefinitions definitions, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return definitions with
        {
            Sources = [.. definitions.Sources.Select(s => s.Path.Length == 0 || IsUri(s.Path) || Path.IsPathRooted(s.Path) ? s : s with { Path = Path.GetFullPath(Path.Combine(baseDirectory, s.Path)) })],
        };
    }

    /// <summary>Adds a line to <paramref name="errors"/> for each broken rule.</summary>
    public static void Validate(FeatureDefinitions d, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(errors);
        Unique(d.Entities.Select(e => e.Name), "entities", errors);
        Unique(d.Sources.Select(s => s.Name), "sources", errors);
        Unique(d.Services.Select(s => s.Name), "feature_services", errors);
        var viewNames = d.Views.Select((v, i) => (v.Name, Path: $"feature_views[{i}]"))
            .Concat(d.OnDemandViews.Select((v, i) => (v.Name, Path: $"on_demand_feature_views[{i}]"))).ToList();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, path) in viewNames)
        {
            Name(name, path + ".name", errors);
            if (name.Length > 0 && !seen.TryAdd(name, path))
            {
                errors.Add($"{path}.name: duplicate name '{name}' (also {seen[name]}; feature views and on-demand views share names)");
            }
        }

        for (var i = 0; i < d.Entities.Count; i++)
        {
            var e = d.Entities[i];
            var path = $"entities[{i}]";
            Name(e.Name, path + ".name", errors);
            Unique(e.JoinKeys, path + ".join_keys", errors, topLevel: false);
        }

        for (var i = 0; i < d.Sources.Count; i++)
        {
            var s = d.Sources[i];
            var path = $"sources[{i}]";
            Name(s.Name, path + ".name", errors);
            if (s.Path.Length > 0 && !IsUri(s.Path) && !System.IO.Path.IsPathRooted(s.Path))
            {
                errors.Add($"{path}.path: '{s.Path}' is relative (write an absolute path or datasets:/NAME@VERSION; a YAML file's relative paths are resolved against its folder)");
            }

            if (s.CreatedTimestampColumn is { } created && created == s.TimestampField)
            {
                errors.Add($"{path}.created_timestamp_column: '{created}' is the timestamp_field too");
            }

            foreach (var (from, to) in s.FieldMapping ?? new Dictionary<string, string>())
            {
                if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
                {
                    errors.Add($"{path}.field_mapping: '{from}' → '{to}': both names are required");
                }
            }
        }

        for (var i = 0; i < d.Views.Count; i++)
        {
            View(d, d.Views[i], $"feature_views[{i}]", errors);
        }

        for (var i = 0; i < d.OnDemandViews.Count; i++)
        {
            OnDemand(d, d.OnDemandViews[i], $"on_demand_feature_views[{i}]", errors);
        }

        for (var i = 0; i < d.Services.Count; i++)
        {
            var s = d.Services[i];
            var path = $"feature_services[{i}]";
            Name(s.Name, path + ".name", errors);
            if (s.Features.Count == 0)
            {
                errors.Add($"{path}.features: at least one feature is required");
            }

            var refs = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < s.Features.Count; j++)
            {
                var r = s.Features[j];
                if (ReferenceError(d, r) is { } problem)
                {
                    errors.Add($"{path}.features[{j}]: {problem}");
                }
                else if (!refs.Add(r.ToString()))
                {
                    errors.Add($"{path}.features[{j}]: '{r}' is listed twice");
                }
            }
        }
    }

    /// <summary>Why a reference does not resolve against <paramref name="d"/>, or null when it does.</summary>
    public static string? ReferenceError(FeatureDefinitions d, FeatureReference r)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(r);
        if (d.FindView(r.View) is { } view)
        {
            return view.Features.Any(f => f.Name == r.Feature) ? null : $"view '{r.View}' has no feature '{r.Feature}' (it has {string.Join(", ", view.Features.Select(f => f.Name))})";
        }

        if (d.FindOnDemandView(r.View) is { } odfv)
        {
            return odfv.Features.Any(f => f.Name == r.Feature) ? null : $"view '{r.View}' has no feature '{r.Feature}' (it has {string.Join(", ", odfv.Features.Select(f => f.Name))})";
        }

        return $"no feature view named '{r.View}'";
    }

    private static void View(FeatureDefinitions d, FeatureView v, string path, ICollection<string> errors)
    {
        var joinKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var j = 0; j < v.Entities.Count; j++)
        {
            if (d.FindEntity(v.Entities[j]) is { } entity)
            {
                foreach (var key in entity.JoinKeys)
                {
                    joinKeys.TryAdd(key, entity.Name);
                }
            }
            else if (v.Entities[j].Length > 0)
            {
                errors.Add($"{path}.entities[{j}]: no entity named '{v.Entities[j]}'");
            }
        }

        Unique(v.Entities, path + ".entities", errors, topLevel: false);
        var source = d.FindSource(v.Source);
        if (source is null && v.Source.Length > 0)
        {
            errors.Add($"{path}.source: no source named '{v.Source}'");
        }

        if (v.Features.Count == 0)
        {
            errors.Add($"{path}.features: at least one feature is required");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < v.Features.Count; j++)
        {
            var f = v.Features[j];
            var at = $"{path}.features[{j}].name";
            FeatureName(f.Name, at, errors);
            if (f.Name.Length > 0 && !names.Add(f.Name))
            {
                errors.Add($"{at}: duplicate feature '{f.Name}'");
            }

            if (joinKeys.TryGetValue(f.Name, out var entity))
            {
                errors.Add($"{at}: '{f.Name}' is a join key of entity '{entity}', not a feature");
            }

            if (source is not null && f.Name == source.TimestampField)
            {
                errors.Add($"{at}: '{f.Name}' is the timestamp_field of source '{source.Name}', not a feature");
            }

            if (source?.CreatedTimestampColumn is { } created && f.Name == created)
            {
                errors.Add($"{at}: '{f.Name}' is the created_timestamp_column of source '{source.Name}', not a feature");
            }
        }

        if (v.Ttl is { } ttl && ttl < TimeSpan.Zero)
        {
            errors.Add($"{path}.ttl: must not be negative (0: forever)");
        }

        foreach (var (key, _) in v.Tags ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                errors.Add($"{path}.tags: a tag needs a name");
            }
        }
    }

    private static void OnDemand(FeatureDefinitions d, OnDemandFeatureView v, string path, ICollection<string> errors)
    {
        for (var j = 0; j < v.Sources.Count; j++)
        {
            if (v.Sources[j].Length > 0 && d.FindView(v.Sources[j]) is null)
            {
                errors.Add(d.FindOnDemandView(v.Sources[j]) is null
                    ? $"{path}.sources[{j}]: no feature view named '{v.Sources[j]}'"
                    : $"{path}.sources[{j}]: '{v.Sources[j]}' is an on-demand view (sources are feature views)");
            }
        }

        Unique(v.Sources, path + ".sources", errors, topLevel: false);
        if (v.Sources.Count == 0 && v.RequestFields.Count == 0)
        {
            errors.Add($"{path}: needs sources or request_fields to compute from");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < v.RequestFields.Count; j++)
        {
            var at = $"{path}.request_fields[{j}].name";
            FeatureName(v.RequestFields[j].Name, at, errors);
            if (v.RequestFields[j].Name.Length > 0 && !names.Add(v.RequestFields[j].Name))
            {
                errors.Add($"{at}: duplicate request field '{v.RequestFields[j].Name}'");
            }
        }

        if (v.Features.Count == 0)
        {
            errors.Add($"{path}.features: at least one feature is required");
        }

        var features = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < v.Features.Count; j++)
        {
            var f = v.Features[j];
            var at = $"{path}.features[{j}]";
            FeatureName(f.Name, at + ".name", errors);
            if (f.Name.Length > 0 && !features.Add(f.Name))
            {
                errors.Add($"{at}.name: duplicate feature '{f.Name}'");
            }
            else if (names.Contains(f.Name))
            {
                errors.Add($"{at}.name: '{f.Name}' is a request field too");
            }

            if (string.IsNullOrWhiteSpace(f.Expression))
            {
                errors.Add($"{at}.expression: required (an expression over request fields and the sources' features)");
            }
        }
    }

    private static void Unique(IEnumerable<string> names, string path, ICollection<string> errors, bool topLevel = true)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var name in names)
        {
            if (name.Length > 0 && !seen.Add(name))
            {
                errors.Add(topLevel ? $"{path}[{i}].name: duplicate name '{name}'" : $"{path}[{i}]: '{name}' is listed twice");
            }

            i++;
        }
    }

    private static void Name(string name, string path, ICollection<string> errors)
    {
        if (name.Length > 0 && !NamePattern().IsMatch(name))
        {
            errors.Add($"{path}: '{name}' is not a valid name (letters, digits, '_', '-', '.'; 1-128, starting with a letter, digit or '_')");
        }
    }

    private static void FeatureName(string name, string path, ICollection<string> errors)
    {
        if (name.Length > 0 && (name.Contains(':', StringComparison.Ordinal) || name.Length > 256 || name.Any(char.IsControl)))
        {
            errors.Add($"{path}: '{name}' is not a valid feature name (no ':' or control characters; at most 256)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex NamePattern();
}
