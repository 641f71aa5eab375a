using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Data.Content;

/// <summary>
/// Content-addressed, chunked, deduplicated storage of dataset files over an artifact store (local
/// files, S3 or the HTTP client). Files are cut into content-defined chunks (512 KiB minimum, 1 MiB target, 4 MiB maximum)
/// addressed by BLAKE3; only chunks the store lacks are uploaded, packed into ~16 MiB pack objects
/// under <c>datasets/packs/</c> with an index object each under <c>datasets/index/</c>; a snapshot is a
/// manifest object <c>datasets/manifests/&lt;digest&gt;</c>, written last.
/// <para>
/// The cache directory (local, under the data dir) holds a copy of the pack indexes, the stat cache
/// and read-only checkouts. It is only a cache: delete it, or point another machine at the same
/// store, and it is rebuilt from the store. Operations on one instance run one at a time.
/// </para>
/// </summary>
public sealed class ContentStore : IAsyncDisposable
{
    private readonly IArtifactStore _artifacts;
    private readonly string _cacheDirectory;
    private readonly ChunkIndex _index;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _synced;

    /// <summary>A store over <paramref name="artifacts"/> with its local caches under <paramref name="cacheDirectory"/> (created if missing).</summary>
    /// <param name="artifacts">Where chunks, indexes and manifests are kept.</param>
    /// <param name="cacheDirectory">A local directory for the stat cache, the chunk-index cache and checkouts.</param>
    public ContentStore(IArtifactStore artifacts, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        _artifacts = artifacts;
        _cacheDirectory = Path.GetFullPath(cacheDirectory);
        Directory.CreateDirectory(_cacheDirectory);
        _index = new ChunkIndex(artifacts, Path.Combine(_cacheDirectory, "index"));
    }

    /// <summary>
    /// Records a file or a directory tree: hashes and chunks what the stat cache cannot vouch for,
    /// uploads the chunks the store lacks and writes the manifest. The source is only read. Inside a
    /// directory, symbolic links are refused (the path given may itself be a link); empty files are
    /// kept, empty directories are not.
    /// </summary>
    /// <param name="path">A file or a directory.</param>
    /// <param name="progress">Optional progress reports.</param>
    /// <param name="cancellationToken">Cancels the call; what was uploaded stays, unreferenced, and is reused by the retry.</param>
    /// <returns>The stored manifest.</returns>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the path when it is missing, unreadable, an empty directory or holds a symbolic link.</exception>
    public async Task<DatasetManifest> SnapshotAsync(string path, IProgress<ContentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSyncedAsync(cancellationToken).ConfigureAwait(false);
            return await new SnapshotWriter(_artifacts, _index, Path.Combine(_cacheDirectory, "stat"), progress).RunAsync(path, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads a stored manifest and checks it against its digest.</summary>
    /// <param name="manifestDigest">The manifest's digest (64 hex digits).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a malformed digest; RESOURCE_DOES_NOT_EXIST when no such manifest is stored; INTERNAL_ERROR naming the object when it is corrupt.</exception>
    public async Task<DatasetManifest> ReadManifestAsync(string manifestDigest, CancellationToken cancellationToken = default)
    {
        if (!ContentHash.TryParse(manifestDigest, out var hash))
        {
            throw KeelException.InvalidParameter($"Invalid dataset manifest digest '{manifestDigest}': expected 64 hexadecimal digits");
        }

        var digest = hash.ToString();
        var path = ContentLayout.Manifest(digest);
        Stream stream;
        try
        {
            stream = await _artifacts.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            throw KeelException.NotFound($"No dataset manifest {digest} in the artifact store");
        }

        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            return ManifestCodec.Decode(copy.GetBuffer().AsSpan(0, (int)copy.Length), digest, path);
        }
    }

    /// <summary>
    /// Writes the files of a version (or one file or folder of it) to <paramref name="destination"/>,
    /// checking every chunk and file digest; each file appears atomically under its name.
    /// A directory version without <paramref name="subPath"/> goes to <c>destination/PATH</c>; a folder
    /// <paramref name="subPath"/> to <c>destination/PATH-BELOW-IT</c>; a file (a file version, or a
    /// <paramref name="subPath"/> naming one) to <paramref name="destination"/>, or into it when it is an existing directory.
    /// </summary>
    /// <param name="manifest">The version.</param>
    /// <param name="destination">Target directory (or file, see above).</param>
    /// <param name="subPath">Optional file or folder of the version, '/'-separated.</param>
    /// <param name="progress">Optional progress reports.</param>
    /// <param name="cancellationToken">Cancels the call; files already written stay.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE when <paramref name="subPath"/> is not in the version; RESOURCE_DOES_NOT_EXIST for a missing chunk; INTERNAL_ERROR naming the object for corrupt data.</exception>
    public async Task MaterializeAsync(
        DatasetManifest manifest,
        string destination,
        string? subPath = null,
        IProgress<ContentProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await WriteAsync(Materializer.Plan(manifest, destination, subPath), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A read-only local copy of a version under <c>cacheDirectory/checkouts/&lt;digest&gt;</c>, reused
    /// when present. It is built in a temporary directory and renamed into place, so a directory under
    /// that name is always complete.
    /// </summary>
    /// <param name="manifest">The version.</param>
    /// <param name="progress">Optional progress reports.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkout's directory, or the file's path for a single-file version.</returns>
    public async Task<string> CheckoutAsync(DatasetManifest manifest, IProgress<ContentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var checkouts = Path.Combine(_cacheDirectory, "checkouts");
        var final = Path.Combine(checkouts, manifest.Digest);
        var result = manifest.IsSingleFile ? Path.Combine(final, manifest.Files[0].Path) : final;
        if (Directory.Exists(final))
        {
            return result;
        }

        var temp = Path.Combine(checkouts, $".tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var plan = new List<(ManifestFile, string)>(manifest.Files.Count);
            foreach (var file in manifest.Files)
            {
                plan.Add((file, Path.Combine(temp, file.Path)));
            }

            await WriteAsync(plan, progress, cancellationToken).ConfigureAwait(false);

            foreach (var (_, path) in plan)
            {
                MakeReadOnly(path);
            }

            try
            {
                Directory.Move(temp, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Another process finished the same checkout first; theirs is as good.
                Directory.Delete(temp, recursive: true);
            }
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            throw;
        }

        return result;
    }

    /// <summary>Releases the instance; nothing is left open between calls.</summary>
    // One reader or writer of the store's index at a time; the index is synced with the store first.
    private async Task WriteAsync(List<(ManifestFile File, string Target)> plan, IProgress<ContentProgress>? progress, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSyncedAsync(cancellationToken).ConfigureAwait(false);
            await new Materializer(NewReader(), progress).WriteAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private ChunkReader NewReader() => new(_artifacts, _index, _index.SyncAsync);

    // Once per instance: the store is listed so packs written elsewhere are known and packs the
    // store lost are forgotten before anything trusts the local copy.
    private async Task EnsureSyncedAsync(CancellationToken cancellationToken)
    {
        if (!_synced)
        {
            await _index.SyncAsync(cancellationToken).ConfigureAwait(false);
            _synced = true;
        }
    }

    private static void MakeReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
