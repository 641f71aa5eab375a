using Keel.Core.Features;
using Keel.Data.Features;

namespace Keel.Application.Features;

/// <summary>Materialization's reader of view sources: the offline engine's <see cref="FeatureSourceScanner"/>, so both paths read a source the same way.</summary>
/// <param name="resolvePath">Checks out a <c>datasets:/</c> source to a local path; null when only local files are used.</param>
public sealed class ScannerRowSource(Func<string, CancellationToken, Task<string>>? resolvePath = null) : IFeatureRowSource
{
    private readonly FeatureSourceScanner _scanner = new(resolvePath);

    /// <inheritdoc/>
    public IAsyncEnumerable<IReadOnlyList<OnlineRow>> LatestRowsAsync(FeatureDefinitions defs, FeatureView view, DateTimeOffset? start, DateTimeOffset end, int chunkSize, CancellationToken cancellationToken) =>
        _scanner.LatestRowsAsync(defs, view, start, end, chunkSize, cancellationToken);
}
