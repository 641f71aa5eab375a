using Keel.Application;
using Keel.Client;
using Keel.Core.Artifacts;
using Keel.Core.Backends;
using Keel.Core.Configuration;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Keel.ML.Repository;
using Keel.Hosting;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// The stores a command works on: the SDK for an http(s) tracking URI, else the embedded stores.
/// Either way commands call <see cref="TrackingService"/>, so validation and defaults are the server's.
/// </summary>
internal sealed class StoreSession : IAsyncDisposable
{
    private ModelRepository? _models;

    private readonly IMetadataBackend? _backend;

    private StoreSession(ITrackingStore store, IArtifactStore artifacts, IModelRegistryStore registryStore, string description, string dataDir, IMetadataBackend? backend = null)
    {
        _backend = backend;
        // On the data dir the command's changes go to the backend's audit log; over HTTP the server reports them.
        Audit = backend is null ? Keel.Core.Governance.NullAuditSink.Instance : backend.Audit;
        Datasets = backend is null ? new DatasetService(((KeelClient)store).Datasets) : new DatasetService(backend.Datasets, artifacts, Audit);
        Alerts = backend is null
            ? new Keel.Application.Alerts.AlertService(((KeelClient)store).Alerts)
            : new Keel.Application.Alerts.AlertService(backend.Alerts, audit: Audit);
        Store = store;
        RegistryStore = registryStore;
        // On the embedded store the CLI is the server: alias moves pass the same environment gate.
        Registry = backend is null
            ? new RegistryService(registryStore, store, Audit)
            : new RegistryService(registryStore, store, Audit)
            {
                Gate = new Keel.Application.Governance.ApprovalGate(
                    backend.Environments, new Keel.Application.Governance.EnvironmentResolver(backend.Environments),
                    new Keel.Application.Governance.ApprovalEvidence(registryStore, store, backend.Pipelines), Audit),
            };
        Artifacts = artifacts;
        Description = description;
        DataDir = dataDir;
        Tracking = new TrackingService(store);
    }

    public TrackingService Tracking { get; }

    /// <summary>Where changes made on the data dir are audited (nothing over HTTP: the server does it).</summary>
    public Keel.Core.Governance.IAuditSink Audit { get; }

    /// <summary>The audit log: the server's over HTTP, else the backend's.</summary>
    public Keel.Core.Governance.IAuditLog AuditLog => _backend?.Audit ?? ((KeelClient)Store).Audit;

    /// <summary>Versioned datasets: the server's over HTTP, else the backend's.</summary>
    public DatasetService Datasets { get; }

    /// <summary>Users, tokens, permissions, groups and roles: the server's over HTTP (as the signed-in user), else the backend's (as an admin).</summary>
    public Keel.Cli.Commands.Users.GovernanceApi Governance => _governance ??= _backend is null
        ? Keel.Cli.Commands.Users.GovernanceApi.Over(((KeelClient)Store).Governance)
        : Keel.Cli.Commands.Users.GovernanceApi.Over(_backend.Governance);

    private Keel.Cli.Commands.Users.GovernanceApi? _governance;

    /// <summary>The feature registry: the server's over HTTP, else the backend's through the server's use case.</summary>
    public Keel.Cli.Commands.Features.FeaturesApi Features => _features ??= _backend is null
        ? Keel.Cli.Commands.Features.FeaturesApi.Over((KeelClient)Store)
        : Keel.Cli.Commands.Features.FeaturesApi.Over(new Keel.Application.Features.FeatureRegistryService(
            _backend.Features, _backend.Serving, Audit, new Keel.Application.Governance.EnvironmentResolver(_backend.Environments), RegistryStore));

    private Keel.Cli.Commands.Features.FeaturesApi? _features;

    /// <summary>The feature registry's port: the server's over HTTP, else the backend's.</summary>
    public Keel.Core.Features.IFeatureRegistry FeatureRegistry => _backend?.Features ?? ((KeelClient)Store).Features;

    /// <summary>Alert rules and alerts: the server's over HTTP, else the backend's (evaluation runs only in a server).</summary>
    public Keel.Application.Alerts.AlertService Alerts { get; }

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

    /// <summary>Dataset content work (add, checkout, get, diff, validate) over this session's stores, caching under the data dir.</summary>
    public Keel.Application.Data.DatasetWorkflow DataWorkflow() => new(Datasets, Artifacts, Path.Combine(DataDir, "data-cache"));

    /// <summary>Lineage over this session's stores (the server's over HTTP, else the backend's).</summary>
    public LineageService Lineage() =>
        new(Store, RegistryStore, _backend?.Serving ?? (Store as KeelClient)?.ServingStore, Datasets);

    /// <summary>The job queue: the server's over HTTP, else the backend's.</summary>
    public IJobQueue Jobs => Store as IJobQueue ?? _backend!.Jobs;

    /// <summary>The monitoring store: the server's over HTTP, else the backend's.</summary>
    public IMonitoringStore Monitoring => (Store as KeelClient)?.Monitoring ?? _backend!.Monitoring;

    /// <summary>The pipeline store: the server's over HTTP, else the backend's.</summary>
    public Keel.Core.Pipelines.IPipelineStore PipelineStore => (Store as KeelClient)?.PipelineStore ?? _backend!.Pipelines;

    /// <summary>True when workers on other machines can reach the queue (a server or PostgreSQL, not an embedded SQLite file).</summary>
    public bool QueueIsShared => Store is IJobQueue || _backend?.Shared == true;

    /// <summary>The environment store of the embedded backend, or null when talking to a server (which has its own API for environments and approvals).</summary>
    public Keel.Core.Governance.IEnvironmentStore? EnvironmentStore => _backend?.Environments;

    /// <summary>The serving store of the embedded backend, or null when talking to a server (which has its own API for endpoints).</summary>
    public IServingStore? ServingStore => _backend?.Serving;

    /// <summary>The metadata backend when the session is embedded (or on a backend store URI); null through a server.</summary>
    public IMetadataBackend? Backend => _backend;

    /// <summary>
    /// Monitoring's use cases over this session's stores: the backend's, or a server's through its
    /// store API (what <c>keel worker</c> uses to compute buckets); null when there is no serving store.
    /// </summary>
    public Keel.Application.Monitoring.MonitoringService? MonitoringService() =>
        (_backend?.Serving ?? (Store as KeelClient)?.ServingStore) is { } serving
            ? new(Monitoring, serving, Datasets, new ManifestModelFacts(Models()), Keel.Application.Monitoring.MonitoringOptions.FromEnvironment())
            : null;

    /// <summary>
    /// The CLI's client settings: a person waits at the terminal, so a server that does not answer
    /// is reported after two quick retries (about 2 s) rather than the SDK's five (about 16 s).
    /// </summary>
    public static KeelClientOptions ClientOptions { get; } = new() { MaxRetries = 2 };

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
            var client = new KeelClient(remote!, options: StoreSession.ClientOptions);
            return new StoreSession(client, client, client, remote!.ToString(), dir);
        }

        if (uri is null && throughServer && await ServerRecord.FindLiveAsync(dir, cancellationToken).ConfigureAwait(false) is { } running)
        {
            await Console.Error.WriteLineAsync($"keel: {dir} is held by a running keel server (pid {running.ProcessId}); going through it at {running.Url}").ConfigureAwait(false);
            var client = new KeelClient(running.Url, options: StoreSession.ClientOptions);
            return new StoreSession(client, client, client, $"{running.Url} (the server of {dir})", dir);
        }

        Keel.Core.IO.OwnerOnly.CreateDirectory(dir);
        var backend = uri ?? DataDirectory.SqliteUri(dir);
        IMetadataBackend? metadata = null;
        try
        {
            metadata = KeelBackends.OpenMetadata(backend, uri is null ? "--data-dir" : variable ?? "--tracking-uri");
            var artifacts = KeelBackends.OpenArtifacts(DataDirectory.ArtifactsUri(dir), "--data-dir");
            return new StoreSession(metadata.Tracking, artifacts, metadata.Registry, uri ?? dir, dir, metadata);
        }
        catch (KeelException e) when (uri is not null && e.Code == ErrorCode.InvalidParameterValue)
        {
            if (metadata is not null)
            {
                await metadata.DisposeAsync().ConfigureAwait(false);
            }

            const string Rule = "an http:// or https:// URL of a tracking server, or a backend store URI";
            throw variable is null
                ? KeelException.InvalidParameter($"--tracking-uri '{KeelBackends.Registry.RedactMetadata(uri)}' is invalid: it must be {Rule}. {e.Message}")
                : KeelEnvironment.Invalid(variable, KeelBackends.Registry.RedactMetadata(uri), $"{Rule} ({e.Message})");
        }
        catch
        {
            if (metadata is not null)
            {
                await metadata.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_backend is not null)
        {
            // The backend closes the stores it opened (tracking, registry, serving, jobs) together.
            await _backend.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await DisposeOneAsync(Store).ConfigureAwait(false);
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
