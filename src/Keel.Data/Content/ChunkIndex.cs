using Keel.Core.Artifacts;

namespace Keel.Data.Content;

/// <summary>
/// Which chunks the store holds and where: an in-memory map loaded from a local mirror of the
/// store's pack index objects (<c>cacheDirectory/index/&lt;pack&gt;</c>). The store is the truth:
/// <see cref="SyncAsync"/> lists its index objects, fetches the ones this machine lacks (a fresh data
/// dir, or packs another machine wrote) and forgets packs the store no longer has, so the cache can
/// be deleted at any time. Not thread-safe; <see cref="ContentStore"/> serializes its callers.
/// </summary>
internal sealed class ChunkIndex
{
    private readonly IArtifactStore _store;
    private readonly string _mirror;
    private readonly Dictionary<ContentHash, ChunkLocation> _chunks = [];
    private readonly List<string> _packs = [];
    private readonly HashSet<string> _packNames = new(StringComparer.Ordinal);

    public ChunkIndex(IArtifactStore store, string mirrorDirectory)
    {
        _store = store;
        _mirror = mirrorDirectory;
    }

    public bool Contains(ContentHash hash) => _chunks.ContainsKey(hash);

    public bool TryGet(ContentHash hash, out ChunkLocation location) => _chunks.TryGetValue(hash, out location);

    public string PackName(int pack) => _packs[pack];

    /// <summary>Brings the map in line with the store's index objects.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var entries = await _store.ListAsync(ContentLayout.IndexDirectory, cancellationToken).ConfigureAwait(false);
        var inStore = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!entry.IsDir && ContentHash.TryParse(entry.Path, out _))
            {
                inStore.Add(entry.Path);
            }
        }

        Directory.CreateDirectory(_mirror);
        var local = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_mirror))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.'))
            {
                // Another process's copy in progress.
                continue;
            }

            if (!inStore.Contains(name))
            {
                // The store lost this pack (or this cache belonged to another store): trusting it
                // would record chunks that cannot be read back.
                TryDelete(file);
            }
            else
            {
                local.Add(name);
            }
        }

        if (_packs.Exists(p => !inStore.Contains(p)))
        {
            _chunks.Clear();
            _packs.Clear();
            _packNames.Clear();
        }

        foreach (var name in local)
        {
            if (!_packNames.Contains(name))
            {
                var path = Path.Combine(_mirror, name);
                try
                {
                    Register(name, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), path);
                }
                catch (Core.Errors.KeelException)
                {
                    // A damaged local copy is only a cache: drop it and fetch the store's below.
                    TryDelete(path);
                }
            }
        }

        foreach (var name in inStore)
        {
            if (!_packNames.Contains(name))
            {
                var objectPath = ContentLayout.Index(name);
                byte[] bytes;
                var stream = await _store.OpenReadAsync(objectPath, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                    bytes = copy.ToArray();
                }

                Register(name, bytes, objectPath);
                await SaveMirrorAsync(name, bytes, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records a pack this process has just written (its pack and index objects are in the store).</summary>
    public async Task AddAsync(string name, byte[] indexBytes, CancellationToken cancellationToken)
    {
        if (!_packNames.Contains(name))
        {
            Register(name, indexBytes, ContentLayout.Index(name));
        }

        await SaveMirrorAsync(name, indexBytes, cancellationToken).ConfigureAwait(false);
    }

    private void Register(string name, byte[] bytes, string where)
    {
        var pack = _packs.Count;
        var added = new List<(ContentHash, ChunkLocation)>();
        PackIndexCodec.Decode(bytes, name, where, (hash, offset, length) => added.Add((hash, new ChunkLocation(pack, offset, length))));
        _packs.Add(name);
        _packNames.Add(name);
        foreach (var (hash, location) in added)
        {
            // The first pack seen keeps a chunk two packs hold (a retry after a crash can write one twice).
            _chunks.TryAdd(hash, location);
        }
    }

    private async Task SaveMirrorAsync(string name, byte[] bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_mirror);
        var final = Path.Combine(_mirror, name);
        if (File.Exists(final))
        {
            return;
        }

        var temp = Path.Combine(_mirror, $".{name}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temp, final, overwrite: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache file that cannot be deleted now is skipped and retried at the next sync.
        }
    }
}
