using Keel.Application;
using Keel.Client;
using Keel.Core.Artifacts;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Server;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// The stores a command works on: the SDK for an http(s) tracking URI, else the embedded stores.
/// Either way commands call <see cref="TrackingService"/>, so validation and defaults are the server's.
/// </summary>
internal sealed class StoreSession : IAsyncDisposable
{
    private StoreSession(ITrackingStore store, IArtifactStore artifacts, IModelRegistryStore registryStore, string description, string? dataDir, string? backendUri = null)
    {
        BackendUri = backendUri;
        Store = store;
        RegistryStore = registryStore;
        Registry = new RegistryService(registryStore, store);
        Artifacts = artifacts;
        Description = description;
        DataDir = dataDir;
        Tracking = new TrackingService(store);
    }

    public TrackingService Tracking { get; }

    public ITrackingStore Store { get; }

    public IModelRegistryStore RegistryStore { get; }

    /// <summary>Registry use cases, over the same backend as <see cref="Tracking"/>.</summary>
    public RegistryService Registry { get; }

    public IArtifactStore Artifacts { get; }

    /// <summary>Where the data lives, for messages.</summary>
    public string Description { get; }

    /// <summary>The embedded data directory, or null when talking to a server.</summary>
    public string? DataDir { get; }

    /// <summary>The embedded backend store URI (for stores this session does not open itself), or null when talking to a server.</summary>
    public string? BackendUri { get; }

    /// <summary>
    /// An explicit <c>--tracking-uri</c> wins, then an explicit <c>--data-dir</c> (so the commands the
    /// quickstart prints work even where MLFLOW_TRACKING_URI is set), then the environment, then ~/.keel.
    /// </summary>
    public static StoreSession Open(string? trackingUri, string? dataDir)
    {
        var uri = !string.IsNullOrWhiteSpace(trackingUri) ? trackingUri
            : !string.IsNullOrWhiteSpace(dataDir) ? null
            : Client.TrackingUri.Resolve();

        if (Client.TrackingUri.IsRemote(uri, out var remote))
        {
            var client = new KeelClient(remote!);
            return new StoreSession(client, client, client, remote!.ToString(), null);
        }

        var dir = DataDirectory.Resolve(dataDir);
        Keel.Core.IO.OwnerOnly.CreateDirectory(dir);
        var backend = uri ?? DataDirectory.SqliteUri(dir);
        var tracking = Backends.OpenTrackingStore(backend);
        var artifacts = Backends.OpenArtifactStore(DataDirectory.ArtifactsUri(dir));
        var registry = Backends.OpenRegistryStore(backend);
        return new StoreSession(tracking, artifacts, registry, uri ?? dir, dir, backend);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeOneAsync(Store).ConfigureAwait(false);
        if (!ReferenceEquals(Store, RegistryStore))
        {
            await DisposeOneAsync(RegistryStore).ConfigureAwait(false);
        }

        if (!ReferenceEquals(Store, Artifacts))
        {
            await DisposeOneAsync(Artifacts).ConfigureAwait(false);
        }
    }

    private static async ValueTask DisposeOneAsync(object store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
