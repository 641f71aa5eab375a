using Keel.Core.Artifacts;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Registry;
using Keel.ML.Manifest;
using Keel.ML.Repository;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Moves step values between URIs and local files: an input's URI becomes a local path a program can
/// open, and a file a program wrote becomes an artifact of the step's MLflow run with a
/// <c>runs:/</c> URI the next step can take.
/// </summary>
internal static class StepFiles
{
    /// <summary>The largest <c>value</c> output, in bytes: values are stored as text with the step.</summary>
    public const int MaxValueBytes = 4096;

    /// <summary>
    /// A local path for <paramref name="value"/>: a dataset version's cached checkout, a <c>runs:/</c>,
    /// <c>models:/</c> or proxied artifact location downloaded under <paramref name="target"/>, a
    /// <c>file:</c> URI's path; anything else (a plain path, a value) as given.
    /// </summary>
    public static async Task<string> LocalAsync(PipelineServices services, string value, string target, CancellationToken cancellationToken)
    {
        if (DatasetUri.IsDatasetUri(value))
        {
            return (await services.Data.CheckoutAsync(value, null, cancellationToken).ConfigureAwait(false)).LocalPath;
        }

        string? proxyPath = null;
        if (ModelUri.IsModelUri(value))
        {
            var resolved = await services.Registry.ResolveModelUriAsync(value, cancellationToken).ConfigureAwait(false);
            proxyPath = ArtifactUri.ProxyPathOf(resolved.ArtifactUri);
        }
        else if (value.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(value))
        {
            var uri = ArtifactUri.Parse(value);
            if (uri.Kind == ArtifactUriKind.Proxied)
            {
                proxyPath = uri.ProxyPath!;
            }
            else if (uri.Kind == ArtifactUriKind.Local && uri.Scheme == "file")
            {
                return Path.GetFullPath(uri.LocalPath!);
            }
        }

        if (proxyPath is null)
        {
            return value;
        }

        return await DownloadAsync(services.Artifacts, proxyPath, target, value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores what a program wrote at <paramref name="path"/> as output <paramref name="name"/>: a
    /// value's trimmed text; otherwise, with tracking on, the file or directory uploaded under
    /// <c>outputs/NAME</c> of the step's MLflow run (a model package logged as a model, so it is in
    /// the run's model history) and its <c>runs:/</c> URI; with tracking off, the local path.
    /// </summary>
    public static async Task<string> OutputAsync(
        PipelineServices services, string? mlflowRunId, string name, PipelineValueKind kind, string path, CancellationToken cancellationToken)
    {
        var isFile = File.Exists(path);
        if (!isFile && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"the command exited 0 but did not write output '{name}' ({path})");
        }

        if (kind == PipelineValueKind.Value)
        {
            if (!isFile)
            {
                throw new InvalidOperationException($"output '{name}' is a value, so {path} must be a file holding it, not a directory");
            }

            if (new FileInfo(path).Length > MaxValueBytes)
            {
                throw new InvalidOperationException($"output '{name}' is a value of more than {MaxValueBytes} bytes; declare it a file instead");
            }

            return (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        }

        if (mlflowRunId is null)
        {
            return path;
        }

        var artifactPath = "outputs/" + name;
        if (kind == PipelineValueKind.Model && !isFile && File.Exists(Path.Combine(path, ModelManifest.FileName)))
        {
            return (await services.Models.LogModelAsync(mlflowRunId, path, artifactPath, cancellationToken: cancellationToken).ConfigureAwait(false)).ModelUri;
        }

        var run = await services.Tracking.GetRunAsync(mlflowRunId, cancellationToken).ConfigureAwait(false);
        var root = Join(ArtifactUri.ProxyPathOf(run.Info.ArtifactUri), artifactPath);
        if (isFile)
        {
            await using var stream = File.OpenRead(path);
            await services.Artifacts.WriteAsync(root, stream, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ArtifactTree.UploadAsync(services.Artifacts, path, root, cancellationToken).ConfigureAwait(false);
        }

        return ModelUri.ForRun(mlflowRunId, artifactPath);
    }

    /// <summary>Env var form of a name: upper case, anything but letters and digits as '_'.</summary>
    public static string EnvName(string name) =>
        new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_')]);

    // A single file lands as target/<its name>; a directory's files under target.
    private static async Task<string> DownloadAsync(IArtifactStore artifacts, string proxyPath, string target, string uri, CancellationToken cancellationToken)
    {
        var path = proxyPath.Trim('/');
        Directory.CreateDirectory(target);
        try
        {
            await using var source = await artifacts.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
            var file = Path.Combine(target, path.Split('/')[^1]);
            await using var output = File.Create(file);
            await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            return file;
        }
        catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
        {
            // Not a file: a directory (a model package, a folder output).
        }

        var count = await ArtifactTree.DownloadAsync(artifacts, path, target, cancellationToken).ConfigureAwait(false);
        return count > 0 ? target : throw KeelException.NotFound($"No artifacts found at '{uri}'.");
    }

    private static string Join(string root, string relative) => root.Length == 0 ? relative : root.TrimEnd('/') + "/" + relative;
}
