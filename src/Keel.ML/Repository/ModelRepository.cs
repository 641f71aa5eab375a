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
public sealed class ModelRepository : IModelRegistrar
{
    private readonly ITrackingStore _tracking;
    private readonly IModelRegistryStore _registry;
    private readonly IArtifactStore _artifacts;
    private readonly string _cacheDirectory;
    private readonly ModelCache _models;
    private readonly RegistryService _registryService;

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
    }

    /// <summary>
    /// Uploads a model package directory as the run's artifacts under <paramref name="artifactPath"/>
    /// (stamping <c>run_id</c> and <c>artifact_path</c> into its MLmodel as MLflow does), and, when
    /// <paramref name="registeredModelName"/> is given, registers it as a new version with source
    /// <c>runs:/&lt;run&gt;/&lt;artifactPath&gt;</c> (creating the registered model if needed).
    /// Returns the new version, or null when not registering.
    /// </summary>
    public async Task<ModelVersion?> LogModelAsync(string runId, string modelDirectory, string artifactPath = "model", string? registeredModelName = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        var manifest = ModelManifest.Load(modelDirectory);
        var run = await _tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var root = ArtifactTree.StorePath(run.Info.ArtifactUri)
            ?? throw KeelException.InvalidParameter($"Run {runId} stores artifacts at '{run.Info.ArtifactUri}', which this store cannot write.");

        // Stamp a copy, never the caller's directory.
        var staging = Path.Combine(Path.GetTempPath(), "keel-log-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            CopyDirectory(modelDirectory, staging);
            manifest.RunId = runId;
            manifest.ArtifactPath = artifactPath;
            manifest.UtcTimeCreated ??= DateTime.UtcNow;
            manifest.ModelSizeBytes = ModelPackage.DirectorySize(staging);
            manifest.Save(staging);
            await ArtifactTree.UploadAsync(_artifacts, staging, root + "/" + artifactPath.Trim('/'), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        if (registeredModelName is null)
        {
            return null;
        }

        return await _registryService.RegisterModelAsync(registeredModelName, $"runs:/{runId}/{artifactPath.Trim('/')}", runId, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<string> RegisterAsync(string name, string source, string runId, CancellationToken cancellationToken)
    {
        var version = await _registryService.RegisterModelAsync(name, source, runId, null, cancellationToken).ConfigureAwait(false);
        return version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Resolves a model URI and makes its package available locally; returns the directory.</summary>
    public async Task<string> FetchAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        var resolved = await ModelUriResolver.ResolveAsync(_registry, _tracking, modelUri, cancellationToken).ConfigureAwait(false);
        var root = ArtifactTree.StorePath(resolved.ArtifactUri)
            ?? throw KeelException.InvalidParameter($"Cannot fetch '{resolved.ArtifactUri}': only mlflow-artifacts: locations served by Keel are supported.");

        // A package is identified by where it lives and the model_uuid in its MLmodel: reading the
        // small manifest first lets an unchanged package be served from the cache.
        string manifestText;
        try
        {
            await using var stream = await _artifacts.OpenReadAsync(root + "/" + ModelManifest.FileName, cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            manifestText = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
        {
            throw KeelException.NotFound($"No model package (MLmodel) at {resolved.ArtifactUri} for '{modelUri}'.");
        }

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

    /// <summary>
    /// Resolves, fetches and loads a model. The instance belongs to this repository's model cache (a
    /// second call returns the same one): callers share it and do not dispose it.
    /// </summary>
    public async Task<IModel> LoadModelAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        var directory = await FetchAsync(modelUri, cancellationToken).ConfigureAwait(false);
        return _models.Get(directory);
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
