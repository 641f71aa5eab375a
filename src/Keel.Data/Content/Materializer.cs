using Keel.Core.Errors;

namespace Keel.Data.Content;

/// <summary>
/// Writes files of a manifest to disk. Each file is written to a temporary name beside its target
/// and renamed over it only once every chunk has been read and checked, so a reader (or a crash)
/// never sees a partial or unverified file under the real name.
/// </summary>
internal sealed class Materializer
{
    private readonly ChunkReader _reader;
    private readonly IProgress<ContentProgress>? _progress;

    public Materializer(ChunkReader reader, IProgress<ContentProgress>? progress)
    {
        _reader = reader;
        _progress = progress;
    }

    /// <summary>
    /// Chooses the files and their targets. No <paramref name="subPath"/> on a directory version: every
    /// file at <c>destination/path</c>. A file (the single file of a file version, or a
    /// <paramref name="subPath"/> naming one): <paramref name="destination"/> is the file to write,
    /// or the directory to write it into when one exists there. A folder: its files at
    /// <c>destination/path-below-the-folder</c>.
    /// </summary>
    public static List<(ManifestFile File, string Target)> Plan(DatasetManifest manifest, string destination, string? subPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var root = Path.GetFullPath(destination);
        var plan = new List<(ManifestFile, string)>();
        var sub = subPath?.Trim('/');
        if (string.IsNullOrEmpty(sub))
        {
            if (manifest.IsSingleFile)
            {
                sub = manifest.Files[0].Path;
            }
            else
            {
                foreach (var file in manifest.Files)
                {
                    plan.Add((file, Under(root, file.Path)));
                }

                return plan;
            }
        }

        foreach (var file in manifest.Files)
        {
            if (file.Path == sub)
            {
                var target = Directory.Exists(root) ? Under(root, file.Path[(file.Path.LastIndexOf('/') + 1)..]) : root;
                return [(file, target)];
            }

            if (file.Path.Length > sub.Length && file.Path.StartsWith(sub, StringComparison.Ordinal) && file.Path[sub.Length] == '/')
            {
                plan.Add((file, Under(root, file.Path[(sub.Length + 1)..])));
            }
        }

        return plan.Count > 0
            ? plan
            : throw KeelException.InvalidParameter($"'{subPath}' is not a file or folder of dataset version {manifest.Digest}");
    }

    public async Task WriteAsync(List<(ManifestFile File, string Target)> plan, CancellationToken cancellationToken)
    {
        long bytesTotal = 0;
        foreach (var (file, _) in plan)
        {
            bytesTotal += file.Size;
        }

        long bytesDone = 0;
        var filesDone = 0;
        foreach (var (file, target) in plan)
        {
            await WriteFileAsync(file, target, cancellationToken).ConfigureAwait(false);
            bytesDone += file.Size;
            filesDone++;
            if ((filesDone & 255) == 0 || file.Size >= GearChunker.MinSize || filesDone == plan.Count)
            {
                _progress?.Report(new ContentProgress(ContentPhase.Downloading, bytesDone, bytesTotal, filesDone, plan.Count, 0));
            }
        }
    }

    private async Task WriteFileAsync(ManifestFile file, string target, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(target)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException e)
        {
            throw KeelException.InvalidParameter($"Cannot create directory '{directory}': {e.Message}");
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.keel-tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                if (file.Size > 0)
                {
                    stream.SetLength(file.Size);
                }

                var hashes = new ContentHash[file.Chunks.Count];
                for (var i = 0; i < file.Chunks.Count; i++)
                {
                    var chunk = file.Chunks[i];
                    if (!ContentHash.TryParse(chunk.Digest, out hashes[i]))
                    {
                        throw KeelException.InvalidParameter($"Bad chunk digest '{chunk.Digest}' in '{file.Path}'");
                    }

                    var data = await _reader.ReadAsync(hashes[i], chunk.Size, cancellationToken).ConfigureAwait(false);
                    await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                }

                // Chunks were each checked; this binds them, in order and in number, to the file's digest.
                if (FileDigest.Compute(file.Size, hashes).ToString() != file.Digest)
                {
                    throw new KeelException(ErrorCode.InternalError, $"Dataset file '{file.Path}' does not match its digest {file.Digest}");
                }
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static string Under(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw KeelException.InvalidParameter($"Dataset path '{relative}' would be written outside '{root}'");
    }
}
