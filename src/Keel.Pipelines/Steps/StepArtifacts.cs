using Keel.Application.Pipelines;
using Keel.Core.Artifacts;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.ML.Repository;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Files in and out of a step. Inputs (<c>datasets:/name/N</c>, <c>runs:/RUN/PATH</c> or a local path)
/// become local copies; outputs become artifacts of the step's MLflow run, named
/// <c>runs:/&lt;step run&gt;/PATH</c>, so any replica can read them. Only with tracking off (no MLflow
/// run) is an output a local path under the step's work directory.
/// </summary>
public sealed class StepArtifacts
{
    private readonly PipelineServices _services;
    private readonly StepContext _context;

    /// <param name="services">The stores.</param>
    /// <param name="context">The step running.</param>
    public StepArtifacts(PipelineServices services, StepContext context)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _context = context ?? throw new ArgumentNullException(nameof(context));
    }

    /// <summary>A fresh folder under the step's work directory (emptied if a previous try left one).</summary>
    /// <param name="name">The folder's name.</param>
    public string Folder(string name)
    {
        var path = Path.Combine(_context.WorkDirectory, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A local copy of input <paramref name="name"/>, with the dataset version it is when it names one.</summary>
    /// <param name="name">The input's name.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public async Task<(string Path, DatasetVersion? Version)> InputAsync(string name, CancellationToken cancellationToken)
    {
        var value = _context.Inputs.GetValueOrDefault(name)
            ?? throw KeelException.InvalidParameter($"Step '{_context.Step.Name}' ({_context.Step.Type}) was given no input '{name}'.");
        return await LocalCopyAsync(_services, value, Path.Combine(_context.WorkDirectory, "inputs", name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A local copy of what <paramref name="value"/> names: a dataset version is checked out (cached,
    /// read-only), a run's artifact (file or folder) is downloaded into <paramref name="downloadTo"/>, a
    /// local path is used where it is.
    /// </summary>
    /// <param name="services">The stores.</param>
    /// <param name="value">A dataset URI, <c>runs:/RUN/PATH</c> or a local path.</param>
    /// <param name="downloadTo">Where a run's artifact is downloaded (replaced).</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public static async Task<(string Path, DatasetVersion? Version)> LocalCopyAsync(PipelineServices services, string value, string downloadTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (DatasetUri.IsDatasetUri(value))
        {
            var (local, version) = await services.Data.CheckoutAsync(value, null, cancellationToken).ConfigureAwait(false);
            return (local, version);
        }

        if (value.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            return (await DownloadAsync(services, value, downloadTo, cancellationToken).ConfigureAwait(false), null);
        }

        var path = Path.GetFullPath(value);
        return File.Exists(path) || Directory.Exists(path)
            ? (path, null)
            : throw KeelException.NotFound($"'{value}' is neither a dataset URI, a runs:/ URI nor an existing file or folder.");
    }

    /// <summary>Publishes a local file as <paramref name="relative"/> under the step's MLflow run and returns its URI.</summary>
    /// <param name="localFile">The file.</param>
    /// <param name="relative">Its path under the run's artifacts, '/'-separated.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    public async Task<string> PublishAsync(string localFile, string relative, CancellationToken cancellationToken)
    {
        if (_context.MlflowRunId is not { } runId)
        {
            // Tracking is off: nothing to attach to, so the output is the file itself.
            var kept = Path.Combine(_context.WorkDirectory, "outputs", relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
            if (!string.Equals(Path.GetFullPath(localFile), Path.GetFullPath(kept), StringComparison.Ordinal))
            {
                File.Copy(localFile, kept, overwrite: true);
            }

            return kept;
        }

        var root = await ArtifactRootAsync(_services, runId, cancellationToken).ConfigureAwait(false);
        await using (var stream = File.OpenRead(localFile))
        {
            await _services.Artifacts.WriteAsync(root + "/" + relative.Trim('/'), stream, cancellationToken).ConfigureAwait(false);
        }

        return $"{RunsScheme}{runId}/{relative.Trim('/')}";
    }

    /// <summary>Publishes text as a file (see <see cref="PublishAsync"/>).</summary>
    /// <param name="text">The content (UTF-8).</param>
    /// <param name="relative">Its path under the run's artifacts.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    public async Task<string> PublishTextAsync(string text, string relative, CancellationToken cancellationToken)
    {
        var file = Path.Combine(_context.WorkDirectory, "staged", relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, text, cancellationToken).ConfigureAwait(false);
        return await PublishAsync(file, relative, cancellationToken).ConfigureAwait(false);
    }

    private const string RunsScheme = "runs:/";

    private static async Task<string> ArtifactRootAsync(PipelineServices services, string runId, CancellationToken cancellationToken)
    {
        var run = await services.Tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        return ArtifactUri.ProxyPathOf(run.Info.ArtifactUri).Trim('/');
    }

    /// <summary>Downloads <c>runs:/RUN/PATH</c> (a file or a folder) under <paramref name="target"/>; returns the local file or folder.</summary>
    private static async Task<string> DownloadAsync(PipelineServices services, string uri, string target, CancellationToken cancellationToken)
    {
        var rest = uri[RunsScheme.Length..].Trim('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw KeelException.InvalidParameter($"'{uri}' is not runs:/RUN_ID/PATH.");
        }

        var relative = rest[(slash + 1)..];
        var path = (await ArtifactRootAsync(services, rest[..slash], cancellationToken).ConfigureAwait(false)) + "/" + relative;
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        var parent = path[..path.LastIndexOf('/')];
        var leaf = path[(path.LastIndexOf('/') + 1)..];
        var entry = (await services.Artifacts.ListAsync(parent, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Path.Split('/')[^1] == leaf)
            ?? throw KeelException.NotFound($"'{uri}' names no artifact.");
        var local = Path.Combine(target, leaf);
        if (entry.IsDir)
        {
            await ArtifactTree.DownloadAsync(services.Artifacts, path, local, cancellationToken).ConfigureAwait(false);
            return local;
        }

        await using var source = await services.Artifacts.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        await using var output = File.Create(local);
        await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        return local;
    }
}
