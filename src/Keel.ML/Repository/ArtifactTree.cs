using Keel.Core.Artifacts;

namespace Keel.ML.Repository;

/// <summary>Copies whole directory trees between the local file system and an <see cref="IArtifactStore"/>.</summary>
public static class ArtifactTree
{
    /// <summary>Downloads every file under <paramref name="root"/> into <paramref name="target"/>; returns the file count.</summary>
    public static async Task<int> DownloadAsync(IArtifactStore artifacts, string root, string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        return await DownloadAsync(artifacts, root.Trim('/'), string.Empty, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads every file under <paramref name="source"/> to <paramref name="root"/>; returns the file count.</summary>
    public static async Task<int> UploadAsync(IArtifactStore artifacts, string source, string root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '/');
            await using var stream = File.OpenRead(file);
            await artifacts.WriteAsync(Join(root.Trim('/'), relative), stream, cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    // The port lists one level at a time, so the tree is walked recursively.
    private static async Task<int> DownloadAsync(IArtifactStore artifacts, string root, string relative, string target, CancellationToken cancellationToken)
    {
        var here = Join(root, relative);
        var count = 0;
        foreach (var entry in await artifacts.ListAsync(here, cancellationToken).ConfigureAwait(false))
        {
            var name = entry.Path.Split('/')[^1];
            var child = relative.Length == 0 ? name : relative + "/" + name;
            if (entry.IsDir)
            {
                count += await DownloadAsync(artifacts, root, child, target, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var file = Path.Combine(target, child.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using var source = await artifacts.OpenReadAsync(Join(root, child), cancellationToken).ConfigureAwait(false);
            await using var output = File.Create(file);
            await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    /// <summary>A store path under a root ("" is the store's root).</summary>
    internal static string Join(string root, string relative) =>
        root.Length == 0 ? relative : relative.Length == 0 ? root : root + "/" + relative;
}
