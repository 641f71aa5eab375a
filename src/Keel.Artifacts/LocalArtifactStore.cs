using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Artifacts;

/// <summary>
/// Artifacts as files under one root directory (the embedded default). Writes go to a temp file in
/// the target directory and are renamed into place, so readers never see a partial file.
/// </summary>
public sealed class LocalArtifactStore : IArtifactStore
{
    // 80 KB stays below the large-object heap threshold while making few syscalls per file.
    private const int BufferSize = 81920;
    private readonly string _root;

    public LocalArtifactStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        Directory.CreateDirectory(_root);
    }

    public async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var full = ResolveFile(path);
        var directory = Path.GetDirectoryName(full)!;
        if (File.Exists(directory))
        {
            throw KeelException.InvalidParameter($"Invalid path: {path} (a parent is a file)");
        }

        if (Directory.Exists(full))
        {
            throw KeelException.InvalidParameter($"Invalid path: {path} (a directory exists there)");
        }

        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await content.CopyToAsync(stream, BufferSize, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = ResolveFile(path);
        try
        {
            Stream stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // A directory opened as a file surfaces as UnauthorizedAccessException on Unix.
            throw KeelException.NotFound($"No such artifact: {path}");
        }
    }

    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default)
    {
        var full = ArtifactPaths.Resolve(_root, path);
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
                if (IsTempFile(f.Name))
                {
                    continue;
                }

                entries.Add(new ArtifactEntry(f.Name, false, f.Length));
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
        var full = ArtifactPaths.Resolve(_root, path);
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

    private string ResolveFile(string path)
    {
        var full = ArtifactPaths.Resolve(_root, path);
        if (full == _root)
        {
            throw KeelException.InvalidParameter("Invalid path: an artifact path must name a file");
        }

        return full;
    }

    private static bool IsTempFile(string name) => name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp file is hidden from listings and harmless.
        }
    }
}
