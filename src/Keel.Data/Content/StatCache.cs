using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace Keel.Data.Content;

/// <summary>
/// Remembers, per absolute path, the size and modification time a file had when it was hashed, with
/// its digest and chunks, so an unchanged file is recognised from one stat (no read, no hash).
/// A SQLite file (<c>cacheDirectory/stat-cache.db</c>): one indexed lookup per file, batched writes in
/// one transaction, safe with several processes. Inode and ctime are not part of the key: .NET does
/// not expose them portably.
/// <para>
/// Racy entries (git's racy-clean rule): a file whose modification time is within
/// <see cref="RacyWindow"/> of the moment it was read may be written again within the same
/// timestamp tick, keeping size and time; such an entry is never stored, so that file is hashed
/// again next time. The window covers coarse file systems (FAT: 2 s; many others 1 s or a kernel tick).
/// </para>
/// </summary>
internal sealed class StatCache : IDisposable
{
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _lookup;

    public StatCache(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                PRAGMA busy_timeout=10000;
                CREATE TABLE IF NOT EXISTS stat_cache (
                    path TEXT PRIMARY KEY,
                    size INTEGER NOT NULL,
                    mtime INTEGER NOT NULL,
                    digest BLOB NOT NULL,
                    chunks BLOB NOT NULL
                ) WITHOUT ROWID;
                """;
            setup.ExecuteNonQuery();
        }

        _lookup = _connection.CreateCommand();
        _lookup.CommandText = "SELECT size, mtime, digest, chunks FROM stat_cache WHERE path = $path";
        _lookup.Parameters.Add("$path", SqliteType.Text);
        _lookup.Prepare();
    }

    /// <summary>The entry for a file when its size and modification time (ticks, UTC) still match.</summary>
    public StatCacheEntry? Find(string path, long size, long modifiedTicks)
    {
        _lookup.Parameters[0].Value = path;
        using var reader = _lookup.ExecuteReader();
        if (!reader.Read() || reader.GetInt64(0) != size || reader.GetInt64(1) != modifiedTicks)
        {
            return null;
        }

        var digest = (byte[])reader.GetValue(2);
        var chunks = (byte[])reader.GetValue(3);
        const int entrySize = ContentHash.Size + 4;
        if (digest.Length != ContentHash.Size || chunks.Length % entrySize != 0)
        {
            return null;
        }

        var count = chunks.Length / entrySize;
        var hashes = new ContentHash[count];
        var sizes = new int[count];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = ContentHash.Read(chunks.AsSpan(i * entrySize));
            sizes[i] = BinaryPrimitives.ReadInt32LittleEndian(chunks.AsSpan((i * entrySize) + ContentHash.Size));
        }

        return new StatCacheEntry(ContentHash.Read(digest), hashes, sizes);
    }

    /// <summary>True when an entry for a file read at <paramref name="readAtTicks"/> may be trusted later.</summary>
    public static bool IsSettled(long modifiedTicks, long readAtTicks) => modifiedTicks + RacyWindow.Ticks <= readAtTicks;

    public void Store(IReadOnlyList<(string Path, long Size, long ModifiedTicks, StatCacheEntry Entry)> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO stat_cache (path, size, mtime, digest, chunks) VALUES ($path, $size, $mtime, $digest, $chunks)";
        var path = insert.Parameters.Add("$path", SqliteType.Text);
        var size = insert.Parameters.Add("$size", SqliteType.Integer);
        var mtime = insert.Parameters.Add("$mtime", SqliteType.Integer);
        var digest = insert.Parameters.Add("$digest", SqliteType.Blob);
        var chunks = insert.Parameters.Add("$chunks", SqliteType.Blob);
        insert.Prepare();
        const int entrySize = ContentHash.Size + 4;
        foreach (var (filePath, fileSize, modified, entry) in entries)
        {
            var digestBytes = new byte[ContentHash.Size];
            entry.Digest.Write(digestBytes);
            var chunkBytes = new byte[entry.Chunks.Length * entrySize];
            for (var i = 0; i < entry.Chunks.Length; i++)
            {
                entry.Chunks[i].Write(chunkBytes.AsSpan(i * entrySize));
                BinaryPrimitives.WriteInt32LittleEndian(chunkBytes.AsSpan((i * entrySize) + ContentHash.Size), entry.ChunkSizes[i]);
            }

            path.Value = filePath;
            size.Value = fileSize;
            mtime.Value = modified;
            digest.Value = digestBytes;
            chunks.Value = chunkBytes;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Dispose()
    {
        _lookup.Dispose();
        _connection.Dispose();
    }
}
