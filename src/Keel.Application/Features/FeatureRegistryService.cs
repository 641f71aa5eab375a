using System.Globalization;
using System.Text.Json;
using Keel.Application.Governance;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Core.Governance;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Wire;

namespace Keel.Application.Features;

/// <summary>
/// The feature registry's use cases: plan and apply definitions (every version kept), the catalog,
/// versions, materialization state, and resolving a feature list for retrieval and serving.
/// A new version or delete of a view (or of an entity, source or service it depends on) that a
/// production endpoint reads is refused unless forced, naming the endpoints and the models they serve.
/// </summary>
public sealed class FeatureRegistryService
{
    /// <summary>The tag a registered model version carries to name the feature service it was trained on.</summary>
    public const string FeatureServiceTag = "keel.feature_service";

    private const string Production = "prod";

    private readonly IFeatureRegistry _registry;
    private readonly IServingStore? _serving;
    private readonly IAuditSink? _audit;
    private readonly EnvironmentResolver? _environments;
    private readonly IModelRegistryStore? _models;

    /// <param name="registry">The registry port.</param>
    /// <param name="serving">The endpoints, for the production check; null: no endpoints (nothing is refused).</param>
    /// <param name="audit">Where applied changes are reported; null: nowhere.</param>
    /// <param name="environments">Which environment an endpoint is in (assignments win over its declared one); null: the declared one.</param>
    /// <param name="models">Registered models, to name versions tagged <c>keel.feature_service</c>; null: not named.</param>
    public FeatureRegistryService(IFeatureRegistry registry, IServingStore? serving, IAuditSink? audit, EnvironmentResolver? environments = null, IModelRegistryStore? models = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _serving = serving;
        _audit = audit;
        _environments = environments;
        _models = models;
    }

    /// <summary>Every live definition at its current version.</summary>
    public Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default) => _registry.GetCatalogAsync(cancellationToken);

    /// <summary>What applying <paramref name="desired"/> would change, with the production endpoints each breaking change affects.</summary>
    public async Task<FeaturePlan> PlanAsync(FeatureDefinitions desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        FeatureDefinitionsValidator.Check(desired);
        var catalog = await _registry.GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        return await AssessAsync(FeaturePlanner.Plan(desired, catalog), catalog, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plans and applies <paramref name="desired"/>; refuses breaking changes to what production endpoints read unless <paramref name="force"/>.</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for bad definitions; RESOURCE_CONFLICT when refused or when the catalog moved on.</exception>
    public async Task<FeatureApplyResult> ApplyAsync(FeatureDefinitions desired, bool force, string? actor, long? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(desired, cancellationToken).ConfigureAwait(false);
        if (expectedRevision is { } expected && expected != plan.Revision)
        {
            throw new FeatureCatalogConflictException(plan.Revision, expected);
        }

        return await CommitAsync(plan, force, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies changes computed elsewhere (an SDK's plan), with the same checks: the result must validate, and breaking changes to what production reads need <paramref name="force"/>.</summary>
    public async Task<FeatureApplyResult> ApplyChangesAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, bool force, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var catalog = await _registry.GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Revision != expectedRevision)
        {
            throw new FeatureCatalogConflictException(catalog.Revision, expectedRevision);
        }

        var items = new List<FeaturePlanItem>();
        var errors = new List<string>();
        var seen = new HashSet<(FeatureObjectKind, string)>();
        foreach (var (c, i) in changes.Select((c, i) => (c, i)))
        {
            if (!seen.Add((c.Kind, c.Name)))
            {
                errors.Add($"changes[{i}]: {FeatureWireMapping.KindName(c.Kind)} '{c.Name}' is changed twice");
            }

            var live = catalog.Find(c.Kind, c.Name);
            var action = c.Definition is null ? FeaturePlanAction.Delete : live is null ? FeaturePlanAction.Create : c.NewVersion ? FeaturePlanAction.NewVersion : FeaturePlanAction.Update;
            if (c.Definition is null && live is null)
            {
                errors.Add($"changes[{i}]: {FeatureWireMapping.KindName(c.Kind)} '{c.Name}' does not exist");
            }

            if (c.Definition is not null && NameOf(c.Definition) != c.Name)
            {
                errors.Add($"changes[{i}].name: '{c.Name}' is not the definition's name '{NameOf(c.Definition)}'");
            }

            items.Add(new FeaturePlanItem(c.Kind, c.Name, action, live?.Version, action == FeaturePlanAction.Delete ? null : action == FeaturePlanAction.Update ? live?.Version : (live?.Version ?? 0) + 1, string.Empty, c.Definition));
        }

        FeatureDefinitionsValidator.ThrowIfAny(errors, "feature changes");
        FeatureDefinitionsValidator.Check(After(catalog, changes), "feature definitions after the changes");
        var plan = await AssessAsync(new FeaturePlan(catalog.Revision, items), catalog, cancellationToken).ConfigureAwait(false);
        return await CommitAsync(plan, force, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every stored version of a definition, oldest first; <paramref name="kind"/> null: whichever kind has that name (views first).</summary>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST when nothing of that name was ever applied.</exception>
    public async Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(string? name, FeatureObjectKind? kind = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw KeelException.MissingParameter("name");
        }

        FeatureObjectKind[] kinds = kind is { } k ? [k] : [FeatureObjectKind.View, FeatureObjectKind.OnDemandView, FeatureObjectKind.Service, FeatureObjectKind.Source, FeatureObjectKind.Entity];
        foreach (var each in kinds)
        {
            var versions = await _registry.ListVersionsAsync(each, name, cancellationToken).ConfigureAwait(false);
            if (versions.Count > 0)
            {
                return versions;
            }
        }

        throw KeelException.NotFound($"No feature definition named '{name}' was ever applied.");
    }

    /// <summary>Where materialization of a view has got to, or null.</summary>
    public Task<MaterializationState?> GetMaterializationAsync(string? view, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(view) ? throw KeelException.MissingParameter("view") : _registry.GetMaterializationAsync(view, cancellationToken);

    /// <summary>Records a finished materialization run (optimistic on the state's revision, fenced when a leader writes).</summary>
    public Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (string.IsNullOrWhiteSpace(state.View))
        {
            throw KeelException.MissingParameter("view");
        }

        if (state.ViewVersion < 1 || state.Rows < 0 || expectedRevision < 0)
        {
            throw KeelException.InvalidParameter("A materialization state needs view_version >= 1, rows >= 0 and expected_revision >= 0.");
        }

        return _registry.RecordMaterializationAsync(state, expectedRevision, fence, cancellationToken);
    }

    /// <summary>
    /// Resolves a feature service's features, or a list of <c>view:feature</c>, against the catalog:
    /// each with its type, in request order, with the views read.
    /// </summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the unknown service, view or feature, or when neither or both are given.</exception>
    public async Task<FeatureResolution> ResolveFeaturesAsync(string? service, IReadOnlyList<string>? features, CancellationToken cancellationToken = default)
    {
        var hasService = !string.IsNullOrWhiteSpace(service);
        var hasFeatures = features is { Count: > 0 };
        if (hasService == hasFeatures)
        {
            throw KeelException.InvalidParameter("Name either a feature service or a list of view:feature, not both and not neither.");
        }

        var catalog = await _registry.GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        var definitions = catalog.Definitions;
        var errors = new List<string>();
        List<FeatureReference> refs;
        if (hasService)
        {
            var found = definitions.FindService(service!.Trim());
            if (found is null)
            {
                var known = definitions.Services.Select(s => s.Name).ToList();
                throw KeelException.InvalidParameter($"features: no feature service named '{service}'" + (known.Count == 0 ? " (none is defined)" : $" (defined: {string.Join(", ", known)})"));
            }

            refs = [.. found.Features];
        }
        else
        {
            refs = [];
            for (var i = 0; i < features!.Count; i++)
            {
                if (FeatureReference.TryParse(features[i]) is { } r)
                {
                    refs.Add(r);
                }
                else
                {
                    errors.Add($"features[{i}]: '{features[i]}' is not view:feature");
                }
            }
        }

        var resolved = new List<ResolvedFeature>();
        var views = new List<FeatureView>();
        var onDemand = new List<OnDemandFeatureView>();
        void UseView(FeatureView v)
        {
            if (!views.Contains(v))
            {
                views.Add(v);
            }
        }

        for (var i = 0; i < refs.Count; i++)
        {
            var r = refs[i];
            if (FeatureDefinitionsValidator.ReferenceError(definitions, r) is { } problem)
            {
                errors.Add($"features[{i}]: {problem}");
                continue;
            }

            if (definitions.FindView(r.View) is { } view)
            {
                UseView(view);
                resolved.Add(new ResolvedFeature(r, view.Features.First(f => f.Name == r.Feature).Dtype, OnDemand: false));
            }
            else
            {
                var odfv = definitions.FindOnDemandView(r.View)!;
                if (!onDemand.Contains(odfv))
                {
                    onDemand.Add(odfv);
                }

                foreach (var source in odfv.Sources.Select(definitions.FindView).OfType<FeatureView>())
                {
                    UseView(source);
                }

                resolved.Add(new ResolvedFeature(r, odfv.Features.First(f => f.Name == r.Feature).Dtype, OnDemand: true));
            }
        }

        var duplicates = refs.GroupBy(r => r.ToString()).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            errors.Add($"features: listed more than once: {string.Join(", ", duplicates)}");
        }

        FeatureDefinitionsValidator.ThrowIfAny(errors, "feature list");
        return new FeatureResolution(catalog, refs, resolved, views, onDemand);
    }

    private static string NameOf(object definition) => definition switch
    {
        FeatureEntity e => e.Name,
        FeatureSource s => s.Name,
        FeatureView v => v.Name,
        OnDemandFeatureView v => v.Name,
        FeatureService s => s.Name,
        _ => string.Empty,
    };

    private static FeatureDefinitions After(FeatureCatalog catalog, IReadOnlyList<FeatureObjectChange> changes)
    {
        var objects = catalog.Objects.ToDictionary(o => (o.Kind, o.Name), o => o.Definition);
        foreach (var c in changes)
        {
            if (c.Definition is null)
            {
                objects.Remove((c.Kind, c.Name));
            }
            else
            {
                objects[(c.Kind, c.Name)] = c.Definition;
            }
        }

        return new FeatureCatalog(0, [.. objects.Select(o => new StoredFeatureObject(o.Key.Kind, o.Key.Name, 1, o.Value, 0, 0, null))]).Definitions;
    }

    private async Task<FeatureApplyResult> CommitAsync(FeaturePlan plan, bool force, string? actor, CancellationToken cancellationToken)
    {
        var refused = plan.Refused;
        if (refused.Count > 0 && !force)
        {
            throw new KeelException(ErrorCode.ResourceConflict, DescribeRefusal(refused));
        }

        if (!plan.HasChanges)
        {
            return new FeatureApplyResult(plan, await _registry.GetCatalogAsync(cancellationToken).ConfigureAwait(false), Applied: false);
        }

        var catalog = await _registry.ApplyAsync(plan.Changes, plan.Revision, actor, cancellationToken).ConfigureAwait(false);
        var applied = plan with
        {
            Items = [.. plan.Items.Select(i => i.Action == FeaturePlanAction.Delete ? i : i with { VersionAfter = catalog.Find(i.Kind, i.Name)?.Version ?? i.VersionAfter })],
        };
        if (_audit is not null)
        {
            foreach (var item in applied.Items.Where(i => i.Action != FeaturePlanAction.Unchanged))
            {
                var after = JsonSerializer.Serialize(
                    new FeaturePlanItemWire
                    {
                        Kind = FeatureWireMapping.KindName(item.Kind), Name = item.Name, Action = ActionName(item.Action), VersionBefore = item.VersionBefore,
                        VersionAfter = item.VersionAfter, Reason = item.Reason, Refused = item.Refused ? true : null,
                        Endpoints = item.Endpoints.Count == 0 ? null : [.. item.Endpoints.Select(e => new FeaturePlanEndpointWire { Name = e.Name, Environment = e.Environment, ModelUris = [.. e.ModelUris] })],
                    },
                    FeatureJson.Default.FeaturePlanItemWire);
                await _audit.ReportAsync(
                    actor, item.Refused ? "features.apply.forced" : "features.apply", FeatureWireMapping.KindName(item.Kind),
                    item.Name + (item.VersionAfter is { } v ? "@v" + v.ToString(CultureInfo.InvariantCulture) : string.Empty), null, after,
                    item.Refused ? Production : null).ConfigureAwait(false);
            }
        }

        return new FeatureApplyResult(applied, catalog, Applied: true);
    }

    /// <summary>The wire name of an action: create, update, new_version, delete, unchanged.</summary>
    public static string ActionName(FeaturePlanAction action) => action switch
    {
        FeaturePlanAction.Create => "create",
        FeaturePlanAction.Update => "update",
        FeaturePlanAction.NewVersion => "new_version",
        FeaturePlanAction.Delete => "delete",
        _ => "unchanged",
    };

    private static string DescribeRefusal(IReadOnlyList<FeaturePlanItem> refused)
    {
        var lines = refused.Select(i =>
        {
            var change = i.Action == FeaturePlanAction.Delete
                ? $"deleting {FeatureWireMapping.KindName(i.Kind)} '{i.Name}' (v{i.VersionBefore})"
                : $"a new version of {FeatureWireMapping.KindName(i.Kind)} '{i.Name}' (v{i.VersionBefore} → v{i.VersionAfter}: {i.Reason})";
            var endpoints = string.Join("; ", i.Endpoints.Select(e => $"endpoint '{e.Name}' ({e.Environment}) serving {string.Join(", ", e.ModelUris)}"));
            var models = i.Models.Count == 0 ? string.Empty : $"; models tagged {FeatureServiceTag}: {string.Join(", ", i.Models)}";
            return $"{change} breaks what production reads: {endpoints}{models}";
        });
        return "Refused, nothing was applied: " + string.Join("\n  ", lines) + "\nApply with force (keel features apply --force) to go ahead anyway.";
    }

    // Attaches to each breaking change the production endpoints that read what it changes.
    private async Task<FeaturePlan> AssessAsync(FeaturePlan plan, FeatureCatalog catalog, CancellationToken cancellationToken)
    {
        var items = new List<FeaturePlanItem>(plan.Items.Count);
        IReadOnlyList<(Endpoint Endpoint, string Environment, HashSet<string> Reads)>? readers = null;
        foreach (var item in plan.Items)
        {
            var current = item;
            if (item.Action == FeaturePlanAction.Create && item.VersionAfter is null)
            {
                var versions = await _registry.ListVersionsAsync(item.Kind, item.Name, cancellationToken).ConfigureAwait(false);
                current = item with { VersionAfter = (versions.Count == 0 ? 0 : versions.Max(v => v.Version)) + 1 };
            }

            if (current.Breaking && _serving is not null)
            {
                readers ??= await ProductionReadersAsync(catalog, cancellationToken).ConfigureAwait(false);
                var touched = Touched(current, catalog.Definitions);
                var endpoints = readers.Where(r => r.Reads.Overlaps(touched))
                    .Select(r => new FeaturePlanEndpoint(r.Endpoint.Name, r.Environment, [.. r.Endpoint.Routes.Select(x => x.ModelUri)])).ToList();
                if (endpoints.Count > 0)
                {
                    var services = readers.Where(r => r.Reads.Overlaps(touched) && r.Endpoint.Features?.Service is not null).Select(r => r.Endpoint.Features!.Service!).Distinct(StringComparer.Ordinal);
                    current = current with { Endpoints = endpoints, Models = await TaggedModelsAsync(services, cancellationToken).ConfigureAwait(false) };
                }
            }

            items.Add(current);
        }

        return plan with { Items = items };
    }

    // What an endpoint's read set must contain for a change to this object to affect it: views as
    // "view:NAME", services as "service:NAME".
    private static HashSet<string> Touched(FeaturePlanItem item, FeatureDefinitions current) => item.Kind switch
    {
        FeatureObjectKind.Entity => [.. current.Views.Where(v => v.Entities.Contains(item.Name)).Select(v => "view:" + v.Name)],
        FeatureObjectKind.Source => [.. current.Views.Where(v => v.Source == item.Name).Select(v => "view:" + v.Name)],
        FeatureObjectKind.Service => ["service:" + item.Name],
        _ => ["view:" + item.Name],
    };

    private async Task<IReadOnlyList<(Endpoint Endpoint, string Environment, HashSet<string> Reads)>> ProductionReadersAsync(FeatureCatalog catalog, CancellationToken cancellationToken)
    {
        var definitions = catalog.Definitions;
        var result = new List<(Endpoint, string, HashSet<string>)>();
        foreach (var endpoint in await _serving!.ListEndpointsAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (endpoint.Features is not { } features)
            {
                continue;
            }

            var environment = _environments is null
                ? endpoint.Environment
                : await _environments.ResolveAsync(GovernedResource.Endpoint, endpoint.Name, endpoint.Environment, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(environment, Production, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var reads = new HashSet<string>(StringComparer.Ordinal);
            IEnumerable<FeatureReference> refs = [];
            if (features.Service is { } service)
            {
                reads.Add("service:" + service);
                refs = definitions.FindService(service)?.Features ?? [];
            }
            else if (features.Features is { } list)
            {
                refs = list.Select(FeatureReference.TryParse).OfType<FeatureReference>();
            }

            foreach (var r in refs)
            {
                reads.Add("view:" + r.View);
                foreach (var source in definitions.FindOnDemandView(r.View)?.Sources ?? [])
                {
                    reads.Add("view:" + source);
                }
            }

            result.Add((endpoint, environment, reads));
        }

        return result;
    }

    private async Task<IReadOnlyList<string>> TaggedModelsAsync(IEnumerable<string> services, CancellationToken cancellationToken)
    {
        if (_models is null)
        {
            return [];
        }

        var found = new List<string>();
        foreach (var service in services)
        {
            var filter = $"tags.`{FeatureServiceTag}` = '{service.Replace("'", "\\'", StringComparison.Ordinal)}'";
            var page = await _models.SearchModelVersionsAsync(
                new ModelVersionQuery(Keel.Compute.Search.SearchFilterParser.ParseModelVersionFilter(filter), [], 0, 100, filter), cancellationToken).ConfigureAwait(false);
            found.AddRange(page.Items.Select(v => $"models:/{v.Name}/{v.Version.ToString(CultureInfo.InvariantCulture)}"));
        }

        return found;
    }
}
