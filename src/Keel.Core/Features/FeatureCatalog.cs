namespace Keel.Core.Features;

/// <summary>The kind of a stored definition.</summary>
public enum FeatureObjectKind
{
    /// <summary>An entity.</summary>
    Entity,

    /// <summary>A data source.</summary>
    Source,

    /// <summary>A feature view.</summary>
    View,

    /// <summary>An on-demand feature view.</summary>
    OnDemandView,

    /// <summary>A feature service.</summary>
    Service,
}

/// <summary>
/// One stored version of a definition. A schema change (entities, features and their types, the
/// source, an on-demand expression) makes a new version; metadata (description, tags, ttl, online)
/// changes in place (the rule Feast adopted for view versions).
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">Its name.</param>
/// <param name="Version">1 for the first, one more with each schema change.</param>
/// <param name="Definition">The definition: a <see cref="FeatureEntity"/>, <see cref="FeatureSource"/>, <see cref="FeatureView"/>, <see cref="OnDemandFeatureView"/> or <see cref="FeatureService"/>.</param>
/// <param name="CreatedAt">When this version was applied, Unix milliseconds.</param>
/// <param name="UpdatedAt">When it last changed in place, Unix milliseconds.</param>
/// <param name="CreatedBy">Who applied it.</param>
public sealed record StoredFeatureObject(
    FeatureObjectKind Kind,
    string Name,
    int Version,
    object Definition,
    long CreatedAt,
    long UpdatedAt,
    string? CreatedBy);

/// <summary>
/// What the registry holds now: every live definition at its current version, and the catalog's
/// revision (one more with each apply), which an apply names to detect a concurrent one.
/// </summary>
/// <param name="Revision">0 when nothing was ever applied.</param>
/// <param name="Objects">Every live definition, current versions only.</param>
public sealed record FeatureCatalog(long Revision, IReadOnlyList<StoredFeatureObject> Objects)
{
    /// <summary>The definitions, as one set.</summary>
    public FeatureDefinitions Definitions => new(
        [.. Objects.Where(o => o.Kind == FeatureObjectKind.Entity).Select(o => (FeatureEntity)o.Definition)],
        [.. Objects.Where(o => o.Kind == FeatureObjectKind.Source).Select(o => (FeatureSource)o.Definition)],
        [.. Objects.Where(o => o.Kind == FeatureObjectKind.View).Select(o => (FeatureView)o.Definition)],
        [.. Objects.Where(o => o.Kind == FeatureObjectKind.OnDemandView).Select(o => (OnDemandFeatureView)o.Definition)],
        [.. Objects.Where(o => o.Kind == FeatureObjectKind.Service).Select(o => (FeatureService)o.Definition)]);

    /// <summary>The current stored version of a definition, or null.</summary>
    public StoredFeatureObject? Find(FeatureObjectKind kind, string name) => Objects.FirstOrDefault(o => o.Kind == kind && o.Name == name);
}

/// <summary>One change an apply makes.</summary>
/// <param name="Kind">What it changes.</param>
/// <param name="Name">Its name.</param>
/// <param name="Definition">The new definition; null deletes it.</param>
/// <param name="NewVersion">True for a new version (schema change or creation); false to change the current version in place.</param>
public sealed record FeatureObjectChange(FeatureObjectKind Kind, string Name, object? Definition, bool NewVersion);

/// <summary>Where materialization of a view has got to.</summary>
/// <param name="View">The view.</param>
/// <param name="ViewVersion">The view version it was materialized at; a new version starts again.</param>
/// <param name="Watermark">Event time up to which rows were written (inclusive), Unix milliseconds.</param>
/// <param name="Rows">Rows written by the last run.</param>
/// <param name="UpdatedAt">When the last run finished, Unix milliseconds.</param>
/// <param name="Revision">Optimistic version of this record: 1 when first written.</param>
public sealed record MaterializationState(string View, int ViewVersion, long Watermark, long Rows, long UpdatedAt, long Revision);
