using Keel.Application.Features;
using Keel.Core.Backends;
using Keel.Core.Features;

namespace Keel.Hosting;

/// <summary>
/// Where the feature store's parts come from for the server, the worker and the CLI: the registry
/// of a metadata backend and the reader of view sources that materialization scans.
/// </summary>
public static class FeatureHosting
{
    /// <summary>The feature registry on <paramref name="backend"/>.</summary>
    /// <param name="backend">The metadata backend.</param>
    // MERGE: bind to the registry's port on the backend (backend.Features) once it is there.
    public static IFeatureRegistry Registry(IMetadataBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend as IFeatureRegistry ?? EmptyFeatureRegistry.Instance;
    }

    /// <summary>The reader of view sources (latest row per entity in a window).</summary>
    // MERGE: bind to the offline engine's scanner (Keel.Data/Features).
    public static IFeatureRowSource RowSource() => new UnboundRowSource();

    private sealed class UnboundRowSource : IFeatureRowSource
    {
        public IAsyncEnumerable<IReadOnlyList<OnlineRow>> LatestRowsAsync(FeatureDefinitions defs, FeatureView view, DateTimeOffset? start, DateTimeOffset end, int chunkSize, CancellationToken cancellationToken) =>
            throw new Keel.Core.Errors.KeelException(Keel.Core.Errors.ErrorCode.TemporarilyUnavailable, "This build has no reader of feature sources.");
    }
}
