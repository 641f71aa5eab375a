using Keel.Client.Internal;
using Keel.Core.Artifacts;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.Client;

/// <summary>
/// The Keel .NET SDK: a client of any MLflow-compatible tracking server (Keel or MLflow 2.12.2).
/// It implements the tracking and artifact ports over MLflow's REST API, so code written against
/// <see cref="ITrackingStore"/> or <see cref="IArtifactStore"/> runs unchanged against a remote server,
/// and adds friendly methods (<see cref="StartRunAsync"/>, <see cref="LogMetricAsync"/>, ...) for scripts.
/// Errors from the server are rebuilt as <see cref="Core.Errors.KeelException"/> with the same error
/// code. Idempotent calls are retried on 429/5xx and connection failures; creates are never retried.
/// </summary>
public sealed partial class KeelClient : ITrackingStore, IArtifactStore, IModelRegistryStore, IDisposable
{
    private const string Api = "/api/2.0/mlflow";
    private const string ArtifactsApi = "/api/2.0/mlflow-artifacts/artifacts";

    private readonly RestTransport _transport;

    /// <summary>Creates a client of the server at <paramref name="trackingUri"/> (e.g. <c>http://127.0.0.1:5000</c>).</summary>
    /// <param name="trackingUri">The server's base URI; a path prefix (a reverse proxy's) is kept.</param>
    /// <param name="httpClient">An HttpClient to use (not disposed by this client); null creates one.</param>
    /// <param name="options">Retry and timeout settings; null uses the defaults.</param>
    public KeelClient(Uri trackingUri, HttpClient? httpClient = null, KeelClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trackingUri);
        if (trackingUri.Scheme != Uri.UriSchemeHttp && trackingUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The tracking URI must be http or https, not '{trackingUri}'.", nameof(trackingUri));
        }

        TrackingUri = trackingUri;
        _transport = new RestTransport(trackingUri, httpClient, options ?? new KeelClientOptions());
    }

    /// <summary>The server this client talks to.</summary>
    public Uri TrackingUri { get; }

    /// <summary>The server's serving store (endpoints as stored, change feed, leases, rollout figures), for replicas that reach it by HTTP.</summary>
    public RestServingStore ServingStore => _servingStore ??= new RestServingStore(_transport);

    private RestServingStore? _servingStore;

    /// <summary>The server's versioned datasets: versions, aliases, profiles and URI resolution.</summary>
    public RestDatasetStore Datasets => _datasets ??= new RestDatasetStore(_transport);

    private RestDatasetStore? _datasets;

    /// <summary>The server's monitoring store (buckets, the prediction index, labels, settings), for workers that reach it by HTTP.</summary>
    public RestMonitoringStore Monitoring => _monitoring ??= new RestMonitoringStore(_transport);

    private RestMonitoringStore? _monitoring;

    /// <summary>The server's alerting: rules, alerts, the event feed, acknowledgement and evaluation.</summary>
    public RestAlertCatalog Alerts => _alerts ??= new RestAlertCatalog(_transport);

    private RestAlertCatalog? _alerts;

    /// <summary>The server's users, API tokens, MLflow permissions, groups and environment roles.</summary>
    public RestGovernanceClient Governance => _governance ??= new RestGovernanceClient(_transport);

    private RestGovernanceClient? _governance;

    /// <summary>The server's tamper-evident audit log: queries, verification, "at" and the JSON Lines export.</summary>
    public RestAuditLog Audit => _audit ??= new RestAuditLog(_transport);

    private RestAuditLog? _audit;

    /// <summary>The server's environments and approvals: policies, assignments, requests and decisions.</summary>
    public RestEnvironmentStore Environments => _environments ??= new RestEnvironmentStore(_transport);

    private RestEnvironmentStore? _environments;

    /// <summary>The server's pipeline store (pipelines, runs, steps, logs, the step cache, trigger state), for workers and replicas that reach it by HTTP.</summary>
    public RestPipelineStore PipelineStore => _pipelineStore ??= new RestPipelineStore(_transport);

    private RestPipelineStore? _pipelineStore;

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();
}
