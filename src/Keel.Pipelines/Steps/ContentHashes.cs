using System.Collections.Concurrent;
using Keel.Application.Pipelines;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Content hashes of the files a command names. Large files (interpreters, binaries: 1 MB or more)
/// are remembered per (path, size, modification time) so a cache check does not read them again each
/// time; scripts and other small files, which are what gets edited, and directories (whose own time
/// does not change when a file inside is edited) are hashed anew every time.
/// </summary>
internal static class ContentHashes
{
    private const long MemoFrom = 1 << 20;

    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), string> Files = new();

    /// <summary>The content hash of a file or directory, as <see cref="PipelineInputResolver.ContentHashAsync"/> gives it.</summary>
    public static async Task<string> OfAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length < MemoFrom)
        {
            return await PipelineInputResolver.ContentHashAsync(path, cancellationToken).ConfigureAwait(false);
        }

        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (Files.TryGetValue(key, out var known))
        {
            return known;
        }

        var hash = await PipelineInputResolver.ContentHashAsync(path, cancellationToken).ConfigureAwait(false);
        if (Files.Count > 10_000)
        {
            Files.Clear();
        }

        Files[key] = hash;
        return hash;
    }
}
