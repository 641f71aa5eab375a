using Keel.Core.Features;

namespace Keel.Application.Features;

/// <summary>One requested feature, resolved against the registry.</summary>
/// <param name="Reference">The feature, <c>view:feature</c>.</param>
/// <param name="Dtype">Its type.</param>
/// <param name="OnDemand">True when computed by an on-demand view.</param>
public sealed record ResolvedFeature(FeatureReference Reference, FeatureDtype Dtype, bool OnDemand);

/// <summary>
/// A feature list resolved against the registry's catalog: what offline retrieval, online reads and
/// endpoint enrichment read.
/// </summary>
/// <param name="Catalog">The catalog it was resolved from (view versions: <see cref="FeatureCatalog.Find"/>).</param>
/// <param name="References">The features, in request order (a service's in its order).</param>
/// <param name="Features">The same features with their types.</param>
/// <param name="Views">The feature views read, in first-use order: those requested and the sources of requested on-demand views.</param>
/// <param name="OnDemandViews">The on-demand views requested, in first-use order.</param>
public sealed record FeatureResolution(
    FeatureCatalog Catalog,
    IReadOnlyList<FeatureReference> References,
    IReadOnlyList<ResolvedFeature> Features,
    IReadOnlyList<FeatureView> Views,
    IReadOnlyList<OnDemandFeatureView> OnDemandViews)
{
    /// <summary>The registry's definitions.</summary>
    public FeatureDefinitions Definitions => Catalog.Definitions;

    /// <summary>The current version of a view (feature view or on-demand view), or 0 when unknown.</summary>
    public int VersionOf(string view) =>
        (Catalog.Find(FeatureObjectKind.View, view) ?? Catalog.Find(FeatureObjectKind.OnDemandView, view))?.Version ?? 0;
}

/// <summary>What an apply did.</summary>
/// <param name="Plan">The plan applied (with the endpoints of forced changes).</param>
/// <param name="Catalog">The catalog after the apply.</param>
/// <param name="Applied">False when there was nothing to change.</param>
public sealed record FeatureApplyResult(FeaturePlan Plan, FeatureCatalog Catalog, bool Applied);
