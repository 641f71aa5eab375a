using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Application.Features;

/// <summary>A registry with nothing applied, for hosts composed without a feature registry: every view is unknown, nothing can be recorded.</summary>
public sealed class EmptyFeatureRegistry : IFeatureRegistry
{
    /// <summary>The one instance.</summary>
    public static EmptyFeatureRegistry Instance { get; } = new();

    /// <inheritdoc/>
    public Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default) => Task.FromResult(new FeatureCatalog(0, []));

    /// <inheritdoc/>
    public Task<FeatureCatalog> ApplyAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken = default) =>
        throw new KeelException(ErrorCode.TemporarilyUnavailable, "No feature registry is configured on this server.");

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(FeatureObjectKind kind, string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredFeatureObject>>([]);

    /// <inheritdoc/>
    public Task<MaterializationState?> GetMaterializationAsync(string view, CancellationToken cancellationToken = default) => Task.FromResult<MaterializationState?>(null);

    /// <inheritdoc/>
    public Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default) =>
        throw new KeelException(ErrorCode.TemporarilyUnavailable, "No feature registry is configured on this server.");
}
