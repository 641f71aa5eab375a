using Keel.Core.Features;
using Keel.Core.Wire;

namespace Keel.Client;

// Keel's feature registry: the catalog, plan and apply of definitions, versions.
public sealed partial class KeelClient
{
    private RestFeatureRegistry? _features;

    /// <summary>The server's feature registry (the <see cref="IFeatureRegistry"/> port over HTTP): catalog, plan and apply, versions, materialization state.</summary>
    public RestFeatureRegistry Features => _features ??= new RestFeatureRegistry(_transport);

    /// <summary>Every live feature definition at its current version, with the catalog revision.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<FeatureCatalog> GetFeatureCatalogAsync(CancellationToken cancellationToken = default) => Features.GetCatalogAsync(cancellationToken);

    /// <summary>What applying the definitions would change, with the production endpoints a breaking change affects.</summary>
    /// <param name="definitions">The desired definitions, complete.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<FeaturePlanResponse> PlanFeaturesAsync(FeatureDefinitions definitions, CancellationToken cancellationToken = default) => Features.PlanAsync(definitions, cancellationToken);

    /// <summary>Applies the definitions (absent ones are deleted); breaking changes to what production reads need <paramref name="force"/>.</summary>
    /// <param name="definitions">The desired definitions, complete.</param>
    /// <param name="force">Apply even breaking changes to what production endpoints read.</param>
    /// <param name="expectedRevision">The revision a plan shown to the user was made from; null: whatever is current.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<FeaturePlanResponse> ApplyFeaturesAsync(FeatureDefinitions definitions, bool force = false, long? expectedRevision = null, CancellationToken cancellationToken = default) =>
        Features.ApplyDefinitionsAsync(definitions, force, expectedRevision, null, cancellationToken);

    /// <summary>Every version of a definition, oldest first.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="kind">Its kind; null: whichever kind has the name (views first).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<StoredFeatureObject>> FeatureVersionsAsync(string name, FeatureObjectKind? kind = null, CancellationToken cancellationToken = default) =>
        Features.VersionsAsync(name, kind, cancellationToken);
}
