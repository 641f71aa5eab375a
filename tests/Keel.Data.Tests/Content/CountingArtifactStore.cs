using Keel.Core.Artifacts;

namespace Keel.Data.Tests.Content;

/// <summary>Passes calls through and counts what was written to packs and what was read.</summary>
internal sealed class CountingArtifactStore : IArtifactStore
{
    private readonly IArtifactStore _inner;
    private long _packBytesWritten;
    private int _writes;
    private int _reads;

    public CountingArtifactStore(IArtifactStore inner)
    {
        _inner = inner;
    }

    public long PackBytesWritten => Interlocked.Read(ref _packBytesWritten);

    public int Writes => Volatile.Read(ref _writes);

    public int Reads => Volatile.Read(ref _reads);

    public void Reset()
    {
        Interlocked.Exchange(ref _packBytesWritten, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _reads, 0);
    }

    public async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        if (path.StartsWith("datasets/packs/", StringComparison.Ordinal))
        {
            Interlocked.Add(ref _packBytesWritten, content.Length);
        }

        await _inner.WriteAsync(path, content, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return _inner.OpenReadAsync(path, cancellationToken);
    }

    public Task<ArtifactSlice> OpenReadRangeAsync(string path, ArtifactRange range, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return _inner.OpenReadRangeAsync(path, range, cancellationToken);
    }

    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default) =>
        _inner.ListAsync(path, cancellationToken);

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default) => _inner.DeleteAsync(path, cancellationToken);
}
