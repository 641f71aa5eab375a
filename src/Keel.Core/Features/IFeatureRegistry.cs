using Keel.Core.Coordination;

namespace Keel.Core.Features;

/// <summary>
/// The feature registry on a metadata backend: the applied definitions with every version kept,
/// and each view's materialization watermark. Plans (what an apply would change) are computed by
/// the application layer from <see cref="GetCatalogAsync"/>; the store only applies them atomically.
/// </summary>
public interface IFeatureRegistry
{
    /// <summary>Every live definition at its current version, with the catalog revision.</summary>
    Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies changes in one transaction when the catalog is still at <paramref name="expectedRevision"/>,
    /// and returns the new catalog. A new version gets the next number after the highest ever stored
    /// for that name (a name deleted and re-created continues its numbering).
    /// </summary>
    /// <param name="changes">What to create, change in place, version or delete.</param>
    /// <param name="expectedRevision">The revision the plan was made from.</param>
    /// <param name="actor">Who applies.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_CONFLICT when another apply came first (nothing changes).</exception>
    Task<FeatureCatalog> ApplyAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Every stored version of a definition, oldest first (deleted ones included); empty when never applied.</summary>
    Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(FeatureObjectKind kind, string name, CancellationToken cancellationToken = default);

    /// <summary>Where materialization of a view has got to, or null when it never ran.</summary>
    Task<MaterializationState?> GetMaterializationAsync(string view, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a finished materialization run when the stored state is still at <paramref name="expectedRevision"/>
    /// (0: none stored yet) and the fence, when given, is current; returns the stored state.
    /// </summary>
    /// <exception cref="Errors.KeelException">RESOURCE_CONFLICT when another run recorded first or the fence is stale.</exception>
    Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default);
}
