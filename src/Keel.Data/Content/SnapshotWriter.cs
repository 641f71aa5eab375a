using Keel.Core.Artifacts;

namespace Keel.Data.Content;

/// <summary>
/// One snapshot: scan, skip what the stat cache vouches for, hash the rest (small files in
/// parallel batches, large ones streamed), queue unknown chunks into packs, then write in the order
/// that keeps the store consistent after a crash at any point: packs and their indexes, the stat
/// cache entries that refer to them, and the manifest last.
/// </summary>
internal sealed class SnapshotWriter
{
    // A batch of small files is read into memory together: bounded so 100,000 files never are.
    private const long BatchBytes = 64L * 1024 * 1024;
    private const int BatchFiles = 4096;

    private readonly IArtifactStore _store;
    private readonly ChunkIndex _index;
    private readonly string _statDirectory;
    private readonly IProgress<ContentProgress>? _progress;
    private readonly PackWriter _packs;
    private StatCache _statCache = null!;
    private long _bytesDone;
    private long _bytesTotal;
    private int _filesDone;
    private int _filesTotal;

    public SnapshotWriter(IArtifactStore store, ChunkIndex index, string statDirectory, IProgress<ContentProgress>? progress)
    {
        _store = store;
        _index = index;
        _statDirectory = statDirectory;
        _progress = progress;
        _packs = new PackWriter(store, index);
    }

    public async Task<DatasetManifest> RunAsync(string path, CancellationToken cancellationToken)
    {
        var (isSingleFile, root, files) = SourceScanner.Scan(path);
        _statCache = StatCache.Load(_statDirectory, root);
        _filesTotal = files.Count;
        foreach (var file in files)
        {
            _bytesTotal += file.Size;
        }

        var results = new ManifestFile[files.Count];
        var small = new List<int>();
        var large = new List<int>();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (_statCache.Find(file.RelativePath, file.Size, file.ModifiedTicks) is { } cached && Array.TrueForAll(cached.Chunks, _index.Contains))
            {
                _statCache.Keep(file.RelativePath, file.Size, file.ModifiedTicks, cached, isNew: false);
                results[i] = ToManifestFile(file.RelativePath, file.Size, cached);
                _bytesDone += file.Size;
                _filesDone++;
            }
            else if (file.Size <= FileHasher.WholeFileLimit)
            {
                small.Add(i);
            }
            else
            {
                large.Add(i);
            }
        }

        Report(ContentPhase.Hashing);
        try
        {
            await HashAllAsync(files, small, large, results, cancellationToken).ConfigureAwait(false);
            Report(ContentPhase.Uploading);
            await _packs.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _packs.AbandonAsync().ConfigureAwait(false);
            throw;
        }

        _statCache.Save();
        var manifest = ManifestCodec.Create(isSingleFile, [.. results]);
        await WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
        Report(ContentPhase.Uploading);
        return manifest;
    }

    private async Task HashAllAsync(List<SourceFile> files, List<int> small, List<int> large, ManifestFile[] results, CancellationToken cancellationToken)
    {
        var batch = new List<int>();
        long batchBytes = 0;
        foreach (var i in small)
        {
            batch.Add(i);
            batchBytes += files[i].Size;
            if (batchBytes >= BatchBytes || batch.Count >= BatchFiles)
            {
                await HashBatchAsync(files, batch, results, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                batchBytes = 0;
            }
        }

        await HashBatchAsync(files, batch, results, cancellationToken).ConfigureAwait(false);
        foreach (var i in large)
        {
            results[i] = await HashLargeAsync(files[i], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HashBatchAsync(List<SourceFile> files, List<int> batch, ManifestFile[] results, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var readAt = DateTime.UtcNow.Ticks;
        var hashed = new ChunkedFile[batch.Count];
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, batch.Count, options, j =>
        {
            var file = files[batch[j]];
            hashed[j] = FileHasher.HashWhole(file.FullPath, file.RelativePath, file.Size);
        });
        for (var j = 0; j < batch.Count; j++)
        {
            var file = files[batch[j]];
            var chunked = hashed[j];
            for (var c = 0; c < chunked.Chunks.Length; c++)
            {
                await _packs.AddAsync(chunked.Chunks[c], chunked.Data.AsMemory(chunked.Offsets[c], chunked.Sizes[c]), cancellationToken).ConfigureAwait(false);
            }

            var entry = new StatCacheEntry(FileDigest.Compute(chunked.Length, chunked.Chunks), chunked.Chunks, chunked.Sizes);
            results[batch[j]] = ToManifestFile(file.RelativePath, chunked.Length, entry);
            Remember(file, chunked.Length, entry, readAt);
            _bytesDone += chunked.Length;
            _filesDone++;
        }

        Report(ContentPhase.Hashing);
    }

    private async Task<ManifestFile> HashLargeAsync(SourceFile file, CancellationToken cancellationToken)
    {
        var readAt = DateTime.UtcNow.Ticks;
        var (chunks, sizes) = await FileHasher.HashStreamingAsync(
            file.FullPath,
            file.RelativePath,
            (hash, data) => _packs.AddAsync(hash, data, cancellationToken),
            bytes =>
            {
                _bytesDone += bytes;
                Report(ContentPhase.Hashing);
            },
            cancellationToken).ConfigureAwait(false);
        long length = 0;
        foreach (var size in sizes)
        {
            length += size;
        }

        var hashes = chunks.ToArray();
        var entry = new StatCacheEntry(FileDigest.Compute(length, hashes), hashes, [.. sizes]);
        Remember(file, length, entry, readAt);
        _filesDone++;
        return ToManifestFile(file.RelativePath, length, entry);
    }

    // Only settled files go into the stat cache (see StatCache: racy-clean), and only when what was
    // read has the size stat reported, i.e. the file did not change between the two.
    private void Remember(SourceFile file, long length, StatCacheEntry entry, long readAt)
    {
        if (length == file.Size && StatCache.IsSettled(file.ModifiedTicks, readAt))
        {
            _statCache.Keep(file.RelativePath, file.Size, file.ModifiedTicks, entry, isNew: true);
        }
    }

    private async Task WriteManifestAsync(DatasetManifest manifest, CancellationToken cancellationToken)
    {
        var path = ContentLayout.Manifest(manifest.Digest);
        var bytes = ManifestCodec.Encode(manifest);
        var existing = await _store.ListAsync(path, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 1 && !existing[0].IsDir && existing[0].FileSize == bytes.Length)
        {
            return;
        }

        using var stream = new MemoryStream(bytes, writable: false);
        await _store.WriteAsync(path, stream, cancellationToken).ConfigureAwait(false);
    }

    private static ManifestFile ToManifestFile(string path, long size, StatCacheEntry entry)
    {
        var chunks = new ManifestChunk[entry.Chunks.Length];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = new ManifestChunk(entry.Chunks[i].ToString(), entry.ChunkSizes[i]);
        }

        return new ManifestFile(path, size, entry.Digest.ToString(), chunks);
    }

    private void Report(ContentPhase phase) =>
        _progress?.Report(new ContentProgress(phase, _bytesDone, _bytesTotal, _filesDone, _filesTotal, _packs.BytesWritten));
}
