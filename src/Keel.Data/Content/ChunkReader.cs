using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Data.Content;

/// <summary>
/// Reads chunks back and checks each against its digest. A large chunk is one range read; a small
/// one (a small file, a file's tail) pulls its whole pack, which is kept for the next chunks, since
/// the small files of one snapshot sit side by side in a few packs: one GET serves hundreds of them.
/// </summary>
internal sealed class ChunkReader
{
    private const int WholePackBelow = GearChunker.MinSize;

    private readonly IArtifactStore _store;
    private readonly ChunkIndex _index;
    private readonly Func<CancellationToken, Task> _resync;
    private readonly LinkedList<(string Name, byte[] Bytes)> _packs = new();
    private bool _resynced;

    public ChunkReader(IArtifactStore store, ChunkIndex index, Func<CancellationToken, Task> resync)
    {
        _store = store;
        _index = index;
        _resync = resync;
    }

    public long BytesRead { get; private set; }

    public async ValueTask<ReadOnlyMemory<byte>> ReadAsync(ContentHash hash, int size, CancellationToken cancellationToken)
    {
        if (!_index.TryGet(hash, out var location))
        {
            if (!_resynced)
            {
                // Another machine may have written the pack since this process last looked.
                _resynced = true;
                await _resync(cancellationToken).ConfigureAwait(false);
            }

            if (!_index.TryGet(hash, out location))
            {
                throw KeelException.NotFound($"Dataset chunk {hash} is missing from the artifact store");
            }
        }

        var path = ContentLayout.Pack(_index.PackName(location.Pack));
        ReadOnlyMemory<byte> data;
        if (location.Length < WholePackBelow)
        {
            var pack = await GetPackAsync(path, cancellationToken).ConfigureAwait(false);
            data = location.Offset + location.Length <= pack.Length
                ? pack.AsMemory((int)location.Offset, location.Length)
                : ReadOnlyMemory<byte>.Empty;
        }
        else
        {
            data = await ReadRangeAsync(path, location, cancellationToken).ConfigureAwait(false);
        }

        if (data.Length != size || location.Length != size || ContentHash.Compute(data.Span) != hash)
        {
            throw new KeelException(
                ErrorCode.InternalError,
                $"Corrupt dataset object {path}: chunk {hash} (offset {location.Offset}, {location.Length} bytes) does not match its digest");
        }

        BytesRead += data.Length;
        return data;
    }

    private async Task<byte[]> GetPackAsync(string path, CancellationToken cancellationToken)
    {
        for (var node = _packs.First; node is not null; node = node.Next)
        {
            if (node.Value.Name == path)
            {
                return node.Value.Bytes;
            }
        }

        var stream = await _store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        byte[] bytes;
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            bytes = copy.ToArray();
        }

        _packs.AddFirst((path, bytes));
        if (_packs.Count > 2)
        {
            _packs.RemoveLast();
        }

        return bytes;
    }

    private async Task<byte[]> ReadRangeAsync(string path, ChunkLocation location, CancellationToken cancellationToken)
    {
        var slice = await _store.OpenReadRangeAsync(path, ArtifactRange.From(location.Offset, location.Offset + location.Length - 1), cancellationToken).ConfigureAwait(false);
        await using (slice.ConfigureAwait(false))
        {
            var bytes = new byte[slice.Length];
            var filled = 0;
            while (filled < bytes.Length)
            {
                var read = await slice.Content.ReadAsync(bytes.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return filled == bytes.Length ? bytes : bytes[..filled];
        }
    }
}
