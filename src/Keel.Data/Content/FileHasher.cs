using System.Buffers;
using Keel.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace Keel.Data.Content;

/// <summary>
/// Reads a file once, finding chunk boundaries and hashing each chunk in the same pass. Small files
/// (up to one maximum chunk) are read whole so a batch of them can be hashed in parallel; a large
/// file streams through two windows: while the gear hash cuts the next window on the calling
/// thread, the chunks of the previous one are BLAKE3-hashed on the thread pool, so cutting and
/// hashing overlap instead of adding up.
/// </summary>
internal static class FileHasher
{
    /// <summary>Files up to one maximum chunk are read whole.</summary>
    public const int WholeFileLimit = GearChunker.MaxSize;

    private const int WindowSize = 16 * 1024 * 1024;

    public static ChunkedFile HashWhole(string path, string displayPath, long expectedSize)
    {
        // No read-ahead advice for a small file: it is one read, and the advice is one more syscall.
        using var handle = Open(path, displayPath, FileOptions.None);
        var capacity = (int)Math.Min(expectedSize, WholeFileLimit);

        // One byte more than stat reported: a file that grew since is caught instead of cut short.
        var data = new byte[capacity + 1];
        var length = ReadFully(handle, data, 0, displayPath);
        if (length > capacity)
        {
            throw KeelException.InvalidParameter($"'{displayPath}' changed while it was being read; add it again when it is no longer being written");
        }
        var chunks = new List<(int Offset, int Size)>();
        var position = 0;
        while (position < length)
        {
            var cut = GearChunker.NextCut(data.AsSpan(position, length - position));
            chunks.Add((position, cut));
            position += cut;
        }

        var hashes = new ContentHash[chunks.Count];
        var offsets = new int[chunks.Count];
        var sizes = new int[chunks.Count];
        for (var i = 0; i < chunks.Count; i++)
        {
            hashes[i] = ContentHash.Compute(data.AsSpan(chunks[i].Offset, chunks[i].Size));
            offsets[i] = chunks[i].Offset;
            sizes[i] = chunks[i].Size;
        }

        return new ChunkedFile(data, length, hashes, offsets, sizes);
    }

    /// <summary>
    /// Streams a large file; <paramref name="onChunk"/> sees each chunk in order (its bytes are valid
    /// only during the call). Returns the chunk digests and sizes.
    /// </summary>
    public static async Task<(List<ContentHash> Chunks, List<int> Sizes)> HashStreamingAsync(
        string path,
        string displayPath,
        Func<ContentHash, ReadOnlyMemory<byte>, ValueTask> onChunk,
        Action<long> onBytes,
        CancellationToken cancellationToken)
    {
        using var handle = Open(path, displayPath, FileOptions.SequentialScan);
        var hashes = new List<ContentHash>();
        var sizes = new List<int>();
        var current = ArrayPool<byte>.Shared.Rent(WindowSize);
        var other = ArrayPool<byte>.Shared.Rent(WindowSize);
        (Task<ContentHash[]> Task, byte[] Buffer, List<(int Offset, int Size)> Cuts)? pending = null;
        try
        {
            long fileOffset = 0;
            var filled = 0;
            var eof = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                while (!eof && filled < WindowSize)
                {
                    var read = RandomAccess.Read(handle, current.AsSpan(filled, WindowSize - filled), fileOffset);
                    if (read == 0)
                    {
                        eof = true;
                        break;
                    }

                    filled += read;
                    fileOffset += read;
                }

                var cuts = new List<(int Offset, int Size)>();
                var position = 0;
                while (position < filled && (eof || filled - position >= GearChunker.MaxSize))
                {
                    var cut = GearChunker.NextCut(current.AsSpan(position, filled - position));
                    cuts.Add((position, cut));
                    position += cut;
                }

                var window = current;
                var hashing = Task.Run(() => HashChunks(window, cuts), cancellationToken);
                if (pending is { } previous)
                {
                    await DeliverAsync(previous, hashes, sizes, onChunk, onBytes).ConfigureAwait(false);
                    pending = null;
                }

                pending = (hashing, current, cuts);
                var carry = filled - position;
                current.AsSpan(position, carry).CopyTo(other);
                (current, other) = (other, current);
                filled = carry;
                if (eof && filled == 0)
                {
                    break;
                }
            }

            if (pending is { } last)
            {
                await DeliverAsync(last, hashes, sizes, onChunk, onBytes).ConfigureAwait(false);
                pending = null;
            }
        }
        finally
        {
            if (pending is { } abandoned)
            {
                // Wait for the hashing that still reads the buffer before giving it back to the pool.
                await abandoned.Task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }

            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(other);
        }

        return (hashes, sizes);
    }

    private static async Task DeliverAsync(
        (Task<ContentHash[]> Task, byte[] Buffer, List<(int Offset, int Size)> Cuts) window,
        List<ContentHash> hashes,
        List<int> sizes,
        Func<ContentHash, ReadOnlyMemory<byte>, ValueTask> onChunk,
        Action<long> onBytes)
    {
        var digests = await window.Task.ConfigureAwait(false);
        long bytes = 0;
        for (var i = 0; i < digests.Length; i++)
        {
            var (offset, size) = window.Cuts[i];
            hashes.Add(digests[i]);
            sizes.Add(size);
            bytes += size;
            await onChunk(digests[i], window.Buffer.AsMemory(offset, size)).ConfigureAwait(false);
        }

        onBytes(bytes);
    }

    private static ContentHash[] HashChunks(byte[] buffer, List<(int Offset, int Size)> cuts)
    {
        var digests = new ContentHash[cuts.Count];
        Parallel.For(0, cuts.Count, i => digests[i] = ContentHash.Compute(buffer.AsSpan(cuts[i].Offset, cuts[i].Size)));
        return digests;
    }

    private static SafeFileHandle Open(string path, string displayPath, FileOptions options)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(displayPath, e);
        }
    }

    private static int ReadFully(SafeFileHandle handle, byte[] data, long offset, string displayPath)
    {
        var filled = 0;
        try
        {
            while (filled < data.Length)
            {
                var read = RandomAccess.Read(handle, data.AsSpan(filled), offset + filled);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(displayPath, e);
        }

        return filled;
    }

    public static KeelException Unreadable(string displayPath, Exception e) =>
        new(ErrorCode.InvalidParameterValue, $"Cannot read '{displayPath}': {e.Message}", e);
}
