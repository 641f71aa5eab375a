using Keel.Core.Artifacts;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.ML.Repository;

/// <summary>
/// The SDK's model calls, for any client that is a tracking, registry and artifact store at once
/// (Keel's <c>KeelClient</c> is): <c>await client.LogModelAsync(runId, dir, registeredModelName: "m")</c>,
/// <c>using var model = await client.LoadModelAsync("models:/m@champion")</c>.
/// </summary>
public static class KeelModels
{
    /// <summary>Logs a package to a run and optionally registers it; see <see cref="ModelRepository.LogModelAsync"/>.</summary>
    public static Task<LoggedModel> LogModelAsync<TClient>(this TClient client, string runId, string modelDirectory, string artifactPath = "model", string? registeredModelName = null, CancellationToken cancellationToken = default)
        where TClient : ITrackingStore, IModelRegistryStore, IArtifactStore =>
        new ModelRepository(client, client, client).LogModelAsync(runId, modelDirectory, artifactPath, registeredModelName, null, cancellationToken);

    /// <summary>Resolves a model URI, downloads the package and loads it for prediction.</summary>
    public static Task<IModel> LoadModelAsync<TClient>(this TClient client, string modelUri, CancellationToken cancellationToken = default)
        where TClient : ITrackingStore, IModelRegistryStore, IArtifactStore =>
        new ModelRepository(client, client, client).LoadModelAsync(modelUri, cancellationToken);
}
