using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.IO;

namespace Keel.Artifacts;

/// <summary>
/// Artifacts as files under one root directory (the embedded default). A write streams to a file in
/// a staging directory and is renamed into place, so readers never see a partial file and no name a
/// user can choose is ever taken for a temporary file. The staging directory is
/// <c>&lt;root&gt;/.keel-staging</c>, which no artifact path may enter and no listing shows; uploads a
/// killed process left there are removed by <see cref="DeleteStaleUploads"/>.
/// </summary>
public sealed class LocalArtifactStore : IArtifactStore
{
    /// <summary>The staging directory's name under the root; reserved, never an artifact.</summary>
    public const string StagingDirectoryName = ".keel-staging";

    // 80 KB stays below the large-object heap threshold while making few syscalls per file.
    private const int BufferSize = 81920;
    private readonly string _root;
    private readonly string _staging;

    /// <summary>A store over <paramref name="rootDirectory"/> (created if missing), staging under it.</summary>
    public LocalArtifactStore(string rootDirectory)
        : this(rootDirectory, null)
    {
    }

    private LocalArtifactStore(string rootDirectory, string? stagingDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        if (stagingDirectory is null)
        {
            Directory.CreateDirectory(_root);
        }

        _staging = stagingDirectory ?? Path.Combine(_root, StagingDirectoryName);
    }

    /// <summary>
    /// A store over another directory (e.g. a run's <c>file:</c> artifact root) that stages its writes
    /// here, so that directory never holds a temporary file; it is not created until written to.
    /// </summary>
    public LocalArtifactStore Over(string directory) => new(directory, _staging);

    /// <summary>
    /// Deletes staged uploads not written to for <paramref name="olderThan"/>: what a killed process
    /// left behind. A live upload keeps its file fresh, so it is never taken. Returns the count.
    /// </summary>
    public int DeleteStaleUploads(TimeSpan olderThan)
    {
        if (!Directory.Exists(_staging))
        {
            return 0;
        }

        var cutoff = DateTime.UtcNow - olderThan;
        var count = 0;
        foreach (var file in new DirectoryInfo(_staging).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < cutoff && TryDelete(file.FullName))
            {
                count++;
            }
        }

        return count;
    }

    public async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var full = ResolveFile(path);
        var directory = Path.GetDirectoryName(full)!;
        for (var parent = directory; parent.Length > _root.Length; parent = Path.GetDirectoryName(parent)!)
        {
            if (File.Exists(parent))
            {
                throw KeelException.InvalidParameter($"Invalid path: {path} (a parent is a file)");
            }
        }

        if (Directory.Exists(full))
        {
            throw KeelException.InvalidParameter($"Invalid path: {path} (a directory exists there)");
        }

        Directory.CreateDirectory(_staging);
        var temp = Path.Combine(_staging, $"{Guid.NewGuid():N}.part");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await content.CopyToAsync(stream, BufferSize, cancellationToken).ConfigureAwait(false);
            }

            Directory.CreateDirectory(directory);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(OpenFile(path));

    public Task<ArtifactSlice> OpenReadRangeAsync(string path, ArtifactRange range, CancellationToken cancellationToken = default)
    {
        var stream = OpenFile(path);
        try
        {
            var total = stream.Length;
            if (range.Resolve(total) is not { } span)
            {
                stream.Dispose();
                return Task.FromResult(ArtifactSlice.Unsatisfiable(total));
            }

            stream.Position = span.Offset;
            return Task.FromResult(new ArtifactSlice(new SubStream(stream, span.Length), span.Offset, span.Length, total));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default)
    {
        var full = Resolve(path);
        if (File.Exists(full))
        {
            var file = new FileInfo(full);
            return Task.FromResult<IReadOnlyList<ArtifactEntry>>([new ArtifactEntry(file.Name, false, file.Length)]);
        }

        if (!Directory.Exists(full))
        {
            return Task.FromResult<IReadOnlyList<ArtifactEntry>>([]);
        }

        var entries = new List<ArtifactEntry>();
        foreach (var info in new DirectoryInfo(full).EnumerateFileSystemInfos())
        {
            if (info is FileInfo f)
            {
                entries.Add(new ArtifactEntry(f.Name, false, f.Length));
            }
            else if (string.Equals(info.FullName, _staging, StringComparison.Ordinal))
            {
                continue;
            }
            else
            {
                entries.Add(new ArtifactEntry(info.Name, true, null));
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return Task.FromResult<IReadOnlyList<ArtifactEntry>>(entries);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Resolve(path);
        if (full == _root)
        {
            // Deleting the whole store through an empty path is never what a caller means.
            throw KeelException.InvalidParameter("Invalid path: the artifact root cannot be deleted");
        }

        if (File.Exists(full))
        {
            File.Delete(full);
        }
        else if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }

        return Task.CompletedTask;
    }

    private FileStream OpenFile(string path)
    {
        var full = ResolveFile(path);
        try
        {
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // A directory opened as a file surfaces as UnauthorizedAccessException on Unix.
            throw KeelException.NotFound($"No such artifact: {path}");
        }
    }

    private string ResolveFile(string path)
    {
        var full = Resolve(path);
        if (full == _root)
        {
            throw KeelException.InvalidParameter("Invalid path: an artifact path must name a file");
        }

        return full;
    }

    // The staging directory is Keel's, not an artifact: no path may read, list, write or delete in it.
    private string Resolve(string? path)
    {
        var full = ArtifactPaths.Resolve(_root, path);
        return full.Equals(_staging, StringComparison.Ordinal) || full.StartsWith(_staging + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? throw ArtifactPath.Invalid()
            : full;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover staged file is never listed, and the next sweep retries it.
            return false;
        }
    }
}
