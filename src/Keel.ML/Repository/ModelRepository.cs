using System.Security.Cryptography;
using System.Text;
using Keel.Application;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.ML.Manifest;

namespace Keel.ML.Repository;

/// <summary>
/// Logs model packages to runs and the registry, and loads them back by model URI. Works over the
/// ports alone, so the same code serves the embedded stores (CLI on a data dir), a remote server
/// (the SDK's <c>KeelClient</c> implements all three ports) and, later, the model server.
/// </summary>
public sealed class ModelRepository
{
    private readonly ITrackingStore _tracking;
    private readonly IModelRegistryStore _registry;
    private readonly IArtifactStore _artifacts;
    private readonly string _cacheDirectory;
    private readonly ModelCache _models;
    private readonly RegistryService _registryService;
    private readonly TrackingService _trackingService;

    /// <param name="tracking">Runs (for <c>runs:/</c> URIs and model logging).</param>
    /// <param name="registry">Registered models and versions.</param>
    /// <param name="artifacts">Where packages are stored (<c>mlflow-artifacts:/</c> paths).</param>
    /// <param name="cacheDirectory">Local directory for downloaded packages; default under the temp dir.</param>
    /// <param name="models">Loaded-model cache to share; a private one when null.</param>
    public ModelRepository(ITrackingStore tracking, IModelRegistryStore registry, IArtifactStore artifacts, string? cacheDirectory = null, ModelCache? models = null)
    {
        _tracking = tracking ?? throw new ArgumentNullException(nameof(tracking));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _artifacts = artifacts ?? throw new ArgumentNullException(nameof(artifacts));
        _cacheDirectory = cacheDirectory ?? Path.Combine(Path.GetTempPath(), "keel-model-cache");
        _models = models ?? new ModelCache();
        _registryService = new RegistryService(registry, tracking);
        _trackingService = new TrackingService(tracking);
    }

    /// <summary>
    /// Logs a model package to a run, the one way Keel does it (the SDK, <c>keel train</c> and the
    /// quickstart all come here), as MLflow's <c>log_model</c> does: the package is uploaded under
    /// <paramref name="artifactPath"/> with <c>run_id</c>, <c>artifact_path</c> and the creation time
    /// stamped into its MLmodel; the MLmodel is appended to the run's <c>mlflow.log-model.history</c>
    /// tag; and, when <paramref name="registeredModelName"/> is given, a new version is registered
    /// (the registered model created if needed) with the run id and, as source, the package's
    /// artifact location (the run's artifact URI plus the path), not a <c>runs:/</c> URI.
    /// </summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for an unsafe or empty artifact path or a package without MLmodel; NOT_IMPLEMENTED for a run whose artifacts the proxy does not serve.</exception>
    public async Task<LoggedModel> LogModelAsync(string runId, string modelDirectory, string artifactPath = "model", string? registeredModelName = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        var path = ArtifactPath.Normalize(artifactPath);
        if (path.Length == 0)
        {
            throw KeelException.InvalidParameter("A model's artifact_path must name a directory under the run's artifacts, e.g. 'model'.");
        }

        var manifest = ModelManifest.Load(modelDirectory);
        var run = await _tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var root = ArtifactUri.ProxyPathOf(run.Info.ArtifactUri);

        // Stamp a copy, never the caller's directory.
        var staging = Path.Combine(Path.GetTempPath(), "keel-log-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            CopyDirectory(modelDirectory, staging);
            manifest.RunId = runId;
            manifest.ArtifactPath = path;
            manifest.UtcTimeCreated ??= DateTime.UtcNow;
            if (string.IsNullOrEmpty(manifest.ModelUuid))
            {
                manifest.ModelUuid = Guid.NewGuid().ToString("N");
            }

            manifest.ModelSizeBytes = ModelPackage.DirectorySize(staging);
            manifest.Save(staging);
            await ArtifactTree.UploadAsync(_artifacts, staging, ArtifactTree.Join(root, path), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        await _trackingService.LogModelAsync(runId, manifest.ToHistoryJson(), cancellationToken).ConfigureAwait(false);
        var location = ArtifactUri.Parse(run.Info.ArtifactUri).Append(path);
        var version = registeredModelName is null
            ? null
            : await _registryService.RegisterModelAsync(registeredModelName, location, runId, actor, cancellationToken).ConfigureAwait(false);
        return new LoggedModel(runId, path, ModelUri.ForRun(runId, path), location, manifest.ModelUuid, version);
    }

    /// <summary>
    /// Resolves a model URI once, makes its package available locally and loads it. The model belongs
    /// to this repository's model cache (a second call returns the same instance): callers share it
    /// and do not dispose it. <see cref="LoadedModel.Resolved"/> is what this load read, so a caller
    /// that reports the version never looks the URI up a second time.
    /// </summary>
    public async Task<LoadedModel> LoadAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        var resolved = await _registryService.ResolveModelUriAsync(modelUri, cancellationToken).ConfigureAwait(false);
        var directory = await FetchAsync(resolved, modelUri, cancellationToken).ConfigureAwait(false);
        return new LoadedModel(resolved, _models.Get(directory));
    }

    /// <summary>Resolves, fetches and loads a model; see <see cref="LoadAsync"/>.</summary>
    public async Task<IModel> LoadModelAsync(string modelUri, CancellationToken cancellationToken = default) =>
        (await LoadAsync(modelUri, cancellationToken).ConfigureAwait(false)).Model;

    /// <summary>Resolves a model URI once and copies its files into <paramref name="target"/>; returns what it resolved to and the file count.</summary>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST when the location holds no files.</exception>
    public async Task<(ResolvedModel Resolved, int Files)> DownloadAsync(string modelUri, string target, CancellationToken cancellationToken = default)
    {
        var resolved = await _registryService.ResolveModelUriAsync(modelUri, cancellationToken).ConfigureAwait(false);
        var count = await ArtifactTree.DownloadAsync(_artifacts, ArtifactUri.ProxyPathOf(resolved.ArtifactUri), target, cancellationToken).ConfigureAwait(false);
        return count > 0 ? (resolved, count) : throw KeelException.NotFound($"No artifacts found at {resolved.ArtifactUri} for '{modelUri}'.");
    }

    // A package is identified by where it lives and the model_uuid in its MLmodel: reading the small
    // manifest first lets an unchanged package be served from the cache.
    /// <summary>Resolves a model URI and reads only its package's MLmodel file (no download of the model itself).</summary>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST when the URI or its MLmodel does not exist.</exception>
    public async Task<ModelManifest> ReadManifestAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        var resolved = await _registryService.ResolveModelUriAsync(modelUri, cancellationToken).ConfigureAwait(false);
        return ModelManifest.Parse(await ReadManifestTextAsync(resolved, modelUri, cancellationToken).ConfigureAwait(false));
    }

    private async Task<string> ReadManifestTextAsync(ResolvedModel resolved, string modelUri, CancellationToken cancellationToken)
    {
        var root = ArtifactUri.ProxyPathOf(resolved.ArtifactUri);
        try
        {
            await using var stream = await _artifacts.OpenReadAsync(ArtifactTree.Join(root, ModelManifest.FileName), cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
        {
            throw KeelException.NotFound($"No model package (MLmodel) at {resolved.ArtifactUri} for '{modelUri}'.");
        }
    }

    private async Task<string> FetchAsync(ResolvedModel resolved, string modelUri, CancellationToken cancellationToken)
    {
        var root = ArtifactUri.ProxyPathOf(resolved.ArtifactUri);
        var manifestText = await ReadManifestTextAsync(resolved, modelUri, cancellationToken).ConfigureAwait(false);

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolved.ArtifactUri + "\n" + manifestText)))[..32];
        var target = Path.Combine(_cacheDirectory, key);
        if (File.Exists(Path.Combine(target, ModelManifest.FileName)))
        {
            return target;
        }

        var staging = target + ".tmp-" + Guid.NewGuid().ToString("N");
        await ArtifactTree.DownloadAsync(_artifacts, root, staging, cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another process fetched the same package first; theirs is identical.
            Directory.Delete(staging, recursive: true);
        }

        return target;
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
