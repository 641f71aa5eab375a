using Keel.Application;
using Keel.Client;
using Keel.Core.Artifacts;
using Keel.Core.Configuration;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.ML.Repository;
using Keel.Server;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// The stores a command works on: the SDK for an http(s) tracking URI, else the embedded stores.
/// Either way commands call <see cref="TrackingService"/>, so validation and defaults are the server's.
/// </summary>
internal sealed class StoreSession : IAsyncDisposable
{
    private ModelRepository? _models;

    private StoreSession(ITrackingStore store, IArtifactStore artifacts, IModelRegistryStore registryStore, string description, string dataDir, string? backendUri = null)
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

    /// <summary>The data directory the command works in (the default one when talking to a server named by URI); local caches go under it.</summary>
    public string DataDir { get; }

    /// <summary>
    /// How every command logs, registers, downloads and loads models: over this session's stores, with
    /// packages cached under the data dir.
    /// </summary>
    public ModelRepository Models() =>
        _models ??= new ModelRepository(Store, RegistryStore, Artifacts, Path.Combine(DataDir, "model-cache"));

    /// <summary>The job queue: the server's over HTTP, else the backend's (opened on first use).</summary>
    public IJobQueue Jobs => _jobs ??= Store as IJobQueue ?? Backends.OpenJobQueue(BackendUri!);

    /// <summary>True when workers on other machines can reach the queue (a server or PostgreSQL, not an embedded SQLite file).</summary>
    public bool QueueIsShared => Store is IJobQueue || Keel.Storage.Postgres.PostgresUri.IsPostgres(BackendUri ?? string.Empty);

    private IJobQueue? _jobs;

    /// <summary>The embedded backend store URI (for stores this session does not open itself), or null when talking to a server.</summary>
    public string? BackendUri { get; }

    /// <summary>
    /// An explicit <c>--tracking-uri</c> wins, then an explicit <c>--data-dir</c> (so the commands the
    /// quickstart prints work even where MLFLOW_TRACKING_URI is set), then the environment, then ~/.keel.
    /// A data dir whose database a running <c>keel server</c> holds is reached through that server
    /// (its <see cref="ServerRecord"/>), said in one line on stderr. A tracking URI that is neither a
    /// server nor a backend store is refused, naming where it came from.
    /// </summary>
    /// <param name="trackingUri">The <c>--tracking-uri</c> value, or null.</param>
    /// <param name="dataDir">The <c>--data-dir</c> value, or null.</param>
    /// <param name="throughServer">False keeps to the embedded store even when a server holds it (the quickstart starts its own).</param>
    /// <param name="cancellationToken">Cancels the look for a running server.</param>
    public static async Task<StoreSession> OpenAsync(string? trackingUri, string? dataDir, bool throughServer = true, CancellationToken cancellationToken = default)
    {
        string? variable = null;
        var uri = !string.IsNullOrWhiteSpace(trackingUri) ? trackingUri
            : !string.IsNullOrWhiteSpace(dataDir) ? null
            : Client.TrackingUri.Resolve(null, out variable);
        var dir = DataDirectory.Resolve(dataDir);

        if (Client.TrackingUri.IsRemote(uri, out var remote))
        {
            var client = new KeelClient(remote!);
            return new StoreSession(client, client, client, remote!.ToString(), dir);
        }

        if (uri is null && throughServer && await ServerRecord.FindLiveAsync(dir, cancellationToken).ConfigureAwait(false) is { } running)
        {
            await Console.Error.WriteLineAsync($"keel: {dir} is held by a running keel server (pid {running.ProcessId}); going through it at {running.Url}").ConfigureAwait(false);
            var client = new KeelClient(running.Url);
            return new StoreSession(client, client, client, $"{running.Url} (the server of {dir})", dir);
        }

        Keel.Core.IO.OwnerOnly.CreateDirectory(dir);
        var backend = uri ?? DataDirectory.SqliteUri(dir);
        try
        {
            var tracking = Backends.OpenTrackingStore(backend);
            var artifacts = Backends.OpenArtifactStore(DataDirectory.ArtifactsUri(dir));
            var registry = Backends.OpenRegistryStore(backend);
            return new StoreSession(tracking, artifacts, registry, uri ?? dir, dir, backend);
        }
        catch (ArgumentException e) when (uri is not null)
        {
            const string Rule = "an http:// or https:// URL of a tracking server, or a backend store URI";
            throw variable is null
                ? KeelException.InvalidParameter($"--tracking-uri '{uri}' is invalid: it must be {Rule}. {e.Message}")
                : KeelEnvironment.Invalid(variable, uri, $"{Rule} ({e.Message})");
        }
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

        if (_jobs is not null && !ReferenceEquals(Store, _jobs))
        {
            await DisposeOneAsync(_jobs).ConfigureAwait(false);
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
