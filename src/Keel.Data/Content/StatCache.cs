using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Keel.Data.Content;

/// <summary>
/// Remembers, for the files under one snapshot root, the size and modification time each had when
/// it was hashed, with its digest and chunks, so an unchanged file is recognised from the stat the
/// directory scan already made: no read, no hash. One binary file per root
/// (<c>cacheDirectory/stat/&lt;BLAKE3 of the root path&gt;</c>), loaded whole at the start of a
/// snapshot and replaced atomically (temp file, rename) at the end, holding exactly the files seen
/// then, so entries of deleted files do not pile up. A file rather than SQLite: one sequential read
/// and one write per snapshot cost milliseconds for 100,000 entries where 100,000 indexed lookups
/// and inserts cost seconds. A damaged file (checked by XxHash3) is ignored: it is only a cache.
/// Inode and ctime are not part of the key: .NET does not expose them portably.
/// <para>
/// Racy entries (git's racy-clean rule): a file whose modification time is within
/// <see cref="RacyWindow"/> of the moment it was read may be written again within the same
/// timestamp tick, keeping size and time; such an entry is never stored, so that file is hashed
/// again next time. The window covers coarse file systems (FAT: 2 s; many others 1 s or a kernel tick).
/// </para>
/// </summary>
internal sealed class StatCache
{
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("KEELSTC1");
    private readonly string _file;
    private readonly Dictionary<string, (long Size, long ModifiedTicks, StatCacheEntry Entry)> _entries = new(StringComparer.Ordinal);
    private readonly List<(string Path, long Size, long ModifiedTicks, StatCacheEntry Entry)> _next = [];
    private bool _dirty;

    private StatCache(string file)
    {
        _file = file;
    }

    /// <summary>Loads the cache of one snapshot root (a missing or damaged file gives an empty cache).</summary>
    public static StatCache Load(string directory, string rootPath)
    {
        var cache = new StatCache(Path.Combine(directory, ContentHash.Compute(Encoding.UTF8.GetBytes(rootPath)).ToString()));
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(cache._file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return cache;
        }

        if (!cache.TryParse(bytes))
        {
            cache._entries.Clear();
        }

        return cache;
    }

    /// <summary>True when an entry for a file read at <paramref name="readAtTicks"/> may be trusted later.</summary>
    public static bool IsSettled(long modifiedTicks, long readAtTicks) => modifiedTicks + RacyWindow.Ticks <= readAtTicks;

    /// <summary>The entry for a file when its size and modification time (ticks, UTC) still match.</summary>
    public StatCacheEntry? Find(string path, long size, long modifiedTicks) =>
        _entries.TryGetValue(path, out var hit) && hit.Size == size && hit.ModifiedTicks == modifiedTicks ? hit.Entry : null;

    /// <summary>Keeps an entry for the next save: a hit carried over, or a settled file just hashed.</summary>
    public void Keep(string path, long size, long modifiedTicks, StatCacheEntry entry, bool isNew)
    {
        _next.Add((path, size, modifiedTicks, entry));
        _dirty |= isNew;
    }

    /// <summary>Replaces the file with the kept entries (skipped when nothing changed).</summary>
    public void Save()
    {
        if (!_dirty && _next.Count == _entries.Count)
        {
            return;
        }

        var size = Magic.Length + 4;
        foreach (var (path, _, _, entry) in _next)
        {
            size += 4 + Encoding.UTF8.GetByteCount(path) + 8 + 8 + ContentHash.Size + 4 + (entry.Chunks.Length * (ContentHash.Size + 4));
        }

        var bytes = new byte[size + 8];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        var at = Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], _next.Count);
        at += 4;
        foreach (var (path, fileSize, modified, entry) in _next)
        {
            var length = Encoding.UTF8.GetBytes(path, span[(at + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], length);
            at += 4 + length;
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], fileSize);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], modified);
            at += 16;
            entry.Digest.Write(span[at..]);
            at += ContentHash.Size;
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], entry.Chunks.Length);
            at += 4;
            for (var i = 0; i < entry.Chunks.Length; i++)
            {
                entry.Chunks[i].Write(span[at..]);
                BinaryPrimitives.WriteInt32LittleEndian(span[(at + ContentHash.Size)..], entry.ChunkSizes[i]);
                at += ContentHash.Size + 4;
            }
        }

        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], XxHash3.HashToUInt64(span[..at]));
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        var temp = $"{_file}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, _file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written only means the next snapshot hashes again.
            TryDelete(temp);
        }
    }

    private bool TryParse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length + 12 || !bytes[..Magic.Length].SequenceEqual(Magic)
            || XxHash3.HashToUInt64(bytes[..^8]) != BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]))
        {
            return false;
        }

        var body = bytes[..^8];
        var count = BinaryPrimitives.ReadInt32LittleEndian(body[Magic.Length..]);
        var at = Magic.Length + 4;
        for (var n = 0; n < count; n++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
            var path = Encoding.UTF8.GetString(body.Slice(at + 4, length));
            at += 4 + length;
            var size = BinaryPrimitives.ReadInt64LittleEndian(body[at..]);
            var modified = BinaryPrimitives.ReadInt64LittleEndian(body[(at + 8)..]);
            at += 16;
            var digest = ContentHash.Read(body[at..]);
            at += ContentHash.Size;
            var chunkCount = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
            at += 4;
            var chunks = new ContentHash[chunkCount];
            var sizes = new int[chunkCount];
            for (var i = 0; i < chunkCount; i++)
            {
                chunks[i] = ContentHash.Read(body[at..]);
                sizes[i] = BinaryPrimitives.ReadInt32LittleEndian(body[(at + ContentHash.Size)..]);
                at += ContentHash.Size + 4;
            }

            _entries[path] = (size, modified, new StatCacheEntry(digest, chunks, sizes));
        }

        return at == body.Length;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temp file in the cache directory is harmless.
        }
    }
}
