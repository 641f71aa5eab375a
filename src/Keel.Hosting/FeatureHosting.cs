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
    public static IFeatureRegistry Registry(IMetadataBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend.Features;
    }

    /// <summary>The reader of view sources (latest row per entity in a window): the offline engine's scanner.</summary>
    /// <param name="resolvePath">Checks out a <c>datasets:/</c> source to a local path; null when only local files are used.</param>
    public static IFeatureRowSource RowSource(Func<string, CancellationToken, Task<string>>? resolvePath = null) => new ScannerRowSource(resolvePath);
}
