using Keel.Client.Internal;
using Keel.Core.Artifacts;

namespace Keel.Client;

// Run-level artifact helpers: resolve the run's artifact_uri to a proxy path, then use IArtifactStore.
public sealed partial class KeelClient
{
    /// <summary>Uploads one local file into the run's artifacts, under <paramref name="artifactPath"/> if given.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="localFile">The file to upload; its name is kept.</param>
    /// <param name="artifactPath">Directory within the run's artifacts, or null for the root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; INVALID_PARAMETER_VALUE for an unsafe path.</exception>
    public async Task UploadArtifactAsync(string runId, string localFile, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        var root = await GetRunArtifactRootAsync(runId, cancellationToken).ConfigureAwait(false);
        await UploadFileAsync(localFile, ProxyPaths.Join(ProxyPaths.Join(root, artifactPath), Path.GetFileName(localFile)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads a local directory tree into the run's artifacts, under <paramref name="artifactPath"/> if given.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="localDir">The directory; relative paths below it are kept.</param>
    /// <param name="artifactPath">Directory within the run's artifacts, or null for the root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; INVALID_PARAMETER_VALUE for an unsafe path.</exception>
    public async Task UploadArtifactsAsync(string runId, string localDir, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        var root = ProxyPaths.Join(await GetRunArtifactRootAsync(runId, cancellationToken).ConfigureAwait(false), artifactPath);
        foreach (var file in Directory.EnumerateFiles(localDir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(localDir, file).Replace(Path.DirectorySeparatorChar, '/');
            await UploadFileAsync(file, ProxyPaths.Join(root, relative), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Downloads a run's artifact file or directory (all artifacts when <paramref name="artifactPath"/> is null)
    /// into <paramref name="localDir"/>, keeping relative paths. Returns the local path of what was downloaded.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="artifactPath">A file or directory within the run's artifacts, or null for all.</param>
    /// <param name="localDir">Where to write; created when missing.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run or path.</exception>
    public async Task<string> DownloadArtifactsAsync(string runId, string? artifactPath, string localDir, CancellationToken cancellationToken = default)
    {
        var root = await GetRunArtifactRootAsync(runId, cancellationToken).ConfigureAwait(false);
        var relative = ProxyPaths.Join(null, artifactPath);
        var target = relative.Length == 0 ? localDir : Path.Combine(localDir, relative.Replace('/', Path.DirectorySeparatorChar));
        var entries = await ListAsync(ProxyPaths.Join(root, relative), cancellationToken).ConfigureAwait(false);
        var isSingleFile = relative.Length > 0 && entries.Count == 1 && !entries[0].IsDir && entries[0].Path == Path.GetFileName(relative);
        if (isSingleFile)
        {
            await DownloadFileAsync(ProxyPaths.Join(root, relative), target, cancellationToken).ConfigureAwait(false);
            return target;
        }

        Directory.CreateDirectory(target);
        foreach (var entry in entries)
        {
            var child = ProxyPaths.Join(relative, entry.Path);
            if (entry.IsDir)
            {
                await DownloadArtifactsAsync(runId, child, localDir, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DownloadFileAsync(ProxyPaths.Join(root, child), Path.Combine(localDir, child.Replace('/', Path.DirectorySeparatorChar)), cancellationToken).ConfigureAwait(false);
            }
        }

        return target;
    }

    /// <summary>
    /// Lists the immediate children of <paramref name="path"/> in a run's artifacts, with paths relative
    /// to the run's artifact root (as MLflow's <c>list_artifacts</c> returns them). A file path gives an empty list.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="path">A directory within the run's artifacts, or null for the root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Core.Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run.</exception>
    public async Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        var root = await GetRunArtifactRootAsync(runId, cancellationToken).ConfigureAwait(false);
        var relative = ProxyPaths.Join(null, path);
        var entries = await ListAsync(ProxyPaths.Join(root, relative), cancellationToken).ConfigureAwait(false);
        // Listing a file returns the file itself; MLflow's client turns that into "no children".
        if (relative.Length > 0 && entries.Count == 1 && !entries[0].IsDir && entries[0].Path == Path.GetFileName(relative))
        {
            return [];
        }

        return entries.Select(e => e with { Path = ProxyPaths.Join(relative, e.Path) }).ToList();
    }

    private async Task<string> GetRunArtifactRootAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        return ArtifactUri.ProxyPathOf(run.Info.ArtifactUri);
    }

    private async Task UploadFileAsync(string localFile, string proxyPath, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(localFile);
        await using (stream.ConfigureAwait(false))
        {
            await WriteAsync(proxyPath, stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DownloadFileAsync(string proxyPath, string localFile, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localFile))!);
        var source = await OpenReadAsync(proxyPath, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = File.Create(localFile);
            await using (target.ConfigureAwait(false))
            {
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
