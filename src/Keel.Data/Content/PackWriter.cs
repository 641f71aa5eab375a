using Keel.Core.Artifacts;

namespace Keel.Data.Content;

/// <summary>
/// Gathers new chunks into pack objects of about <see cref="TargetSize"/> bytes, so 100,000 small
/// files become a handful of artifact writes rather than 100,000 (one PUT each on S3). A full pack
/// is uploaded in the background while the next one fills (one upload in flight, bounding memory at
/// two packs). Order of writes: the pack, then its index object, and only after both does the chunk
/// index (and so any manifest or stat-cache entry) refer to its chunks; a crash in between leaves an
/// unreferenced pack, never a reference to a missing one.
/// </summary>
internal sealed class PackWriter
{
    /// <summary>16 MiB: big enough that object count stays low, small enough to buffer twice in memory.</summary>
    public const int TargetSize = 16 * 1024 * 1024;

    private readonly IArtifactStore _store;
    private readonly ChunkIndex _index;
    private readonly HashSet<ContentHash> _pending = [];
    private List<(ContentHash Hash, long Offset, int Length)> _entries = [];
    private byte[] _buffer = [];
    private byte[]? _spare;
    private int _length;
    private Task<(string Name, byte[] Index, List<(ContentHash Hash, long Offset, int Length)> Entries, byte[] Buffer)>? _inFlight;

    public PackWriter(IArtifactStore store, ChunkIndex index)
    {
        _store = store;
        _index = index;
    }

    /// <summary>Bytes of chunks handed to the store so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>True when the store has the chunk or it is already queued in a pack.</summary>
    public bool Has(ContentHash hash) => _index.Contains(hash) || _pending.Contains(hash);

    /// <summary>Queues a chunk unless it is known; may start an upload of a full pack.</summary>
    public async ValueTask AddAsync(ContentHash hash, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (Has(hash))
        {
            return;
        }

        if (_length + data.Length > _buffer.Length)
        {
            if (_length > 0 && _length + data.Length > TargetSize)
            {
                await RotateAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_length + data.Length > _buffer.Length)
            {
                // Small files grow the buffer gradually (a 5 KB snapshot keeps a small one); a large
                // chunk, or a recycled full-size buffer, goes straight to full size so a 1 GB file
                // is not copied again at every doubling.
                var full = TargetSize + GearChunker.MaxSize;
                var size = data.Length >= GearChunker.MinSize || _buffer.Length * 2 > TargetSize
                    ? full
                    : Math.Max(Math.Max(_buffer.Length * 2, 1 << 20), _length + data.Length);
                if (size == full && _spare is { } spare && _length == 0)
                {
                    _buffer = spare;
                    _spare = null;
                }
                else
                {
                    Array.Resize(ref _buffer, size);
                }
            }
        }

        data.Span.CopyTo(_buffer.AsSpan(_length));
        _entries.Add((hash, _length, data.Length));
        _pending.Add(hash);
        _length += data.Length;
        BytesWritten += data.Length;
        if (_length >= TargetSize)
        {
            await RotateAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Uploads what is queued and waits for every upload to finish and be indexed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await RotateAsync(cancellationToken).ConfigureAwait(false);
        }

        await CompleteInFlightAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a failure: waits for an upload still running (its pack stays, unreferenced) without rethrowing.</summary>
    public async Task AbandonAsync()
    {
        if (_inFlight is { } task)
        {
            _inFlight = null;
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The snapshot already failed with its own error; this upload's outcome changes nothing.
            }
        }
    }

    private async Task RotateAsync(CancellationToken cancellationToken)
    {
        await CompleteInFlightAsync(cancellationToken).ConfigureAwait(false);
        var buffer = _buffer;
        var length = _length;
        var entries = _entries;
        _buffer = [];
        _length = 0;
        _entries = [];
        _inFlight = Task.Run(() => UploadAsync(buffer, length, entries, cancellationToken), cancellationToken);
    }

    private async Task CompleteInFlightAsync(CancellationToken cancellationToken)
    {
        if (_inFlight is null)
        {
            return;
        }

        var task = _inFlight;
        _inFlight = null;
        var (name, indexBytes, entries, buffer) = await task.ConfigureAwait(false);
        if (buffer.Length == TargetSize + GearChunker.MaxSize)
        {
            _spare = buffer;
        }

        await _index.AddAsync(name, indexBytes, cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            _pending.Remove(entry.Hash);
        }
    }

    private async Task<(string, byte[], List<(ContentHash, long, int)>, byte[])> UploadAsync(
        byte[] buffer, int length, List<(ContentHash Hash, long Offset, int Length)> entries, CancellationToken cancellationToken)
    {
        var indexBytes = PackIndexCodec.Encode(entries);
        var name = ContentHash.Compute(indexBytes).ToString();
        using (var pack = new MemoryStream(buffer, 0, length, writable: false))
        {
            await _store.WriteAsync(ContentLayout.Pack(name), pack, cancellationToken).ConfigureAwait(false);
        }

        using (var index = new MemoryStream(indexBytes, writable: false))
        {
            await _store.WriteAsync(ContentLayout.Index(name), index, cancellationToken).ConfigureAwait(false);
        }

        return (name, indexBytes, entries, buffer);
    }
}
