namespace Keel.Server;

/// <summary>Settings of <c>keel server</c>.</summary>
/// <param name="Host">Interface to bind; loopback by default so a fresh install is not exposed.</param>
/// <param name="Port">TCP port; 0 picks a free one (tests).</param>
/// <param name="DataDir">Data directory; default <c>KEEL_DATA_DIR</c>, else <c>~/.keel</c>.</param>
/// <param name="BackendStoreUri">Metadata store: <c>sqlite:///abs/path</c>, a file path, or <c>postgresql://user:password@host:port/database</c>; default <c>sqlite:///&lt;data dir&gt;/keel.db</c>.</param>
/// <param name="ArtifactsDestination">Where proxied artifacts live: <c>file:///abs/path</c> or a path; default <c>&lt;data dir&gt;/artifacts</c>.</param>
/// <param name="Serving">Model server settings (<c>keel server</c> reads them from KEEL_PREDICTION_LOG_* and KEEL_ROLLOUT_*); default <see cref="Keel.Serving.ServingOptions"/>'s defaults.</param>
/// <param name="DefaultArtifactRoot">
/// Where new experiments put artifacts (each gets <c>&lt;root&gt;/&lt;experiment_id&gt;</c>), as
/// <c>mlflow server --default-artifact-root</c>: <c>mlflow-artifacts:</c> (proxied, the default when
/// serving artifacts), <c>file:///...</c> or a path (made absolute), <c>s3://...</c> and so on.
/// Default without artifact serving: <c>file://&lt;data dir&gt;/artifacts</c>.
/// </param>
/// <param name="ServeArtifacts">Serve the mlflow-artifacts proxy routes (MLflow's <c>--serve-artifacts</c>, on by default).</param>
/// <param name="ArtifactsOnly">Serve only the mlflow-artifacts proxy routes (MLflow's <c>--artifacts-only</c>).</param>
/// <param name="Security">Allowed hosts and CORS origins; default: localhost and the bound address, CORS closed.</param>
public sealed record KeelServerOptions(
    string Host = "127.0.0.1",
    int Port = 5000,
    string? DataDir = null,
    string? BackendStoreUri = null,
    string? ArtifactsDestination = null,
    Keel.Serving.ServingOptions? Serving = null,
    Keel.Server.Http.SecurityOptions? Security = null,
    string? DefaultArtifactRoot = null,
    bool ServeArtifacts = true,
    bool ArtifactsOnly = false)
{
    /// <summary>
    /// The AI gateway <c>gateway-proxy</c> forwards to (MLflow's <c>MLFLOW_DEPLOYMENTS_TARGET</c>, read by
    /// <c>keel server</c> at start); null answers as an empty gateway.
    /// </summary>
    public Uri? DeploymentsTarget { get; init; }

    /// <summary>
    /// A folder to serve the web UI from instead of the copy built into the server
    /// (<c>KEEL_UI_DIR</c>, normally <c>src/Keel.Ui/wwwroot</c>), so UI edits show on reload.
    /// </summary>
    public string? UiDirectory { get; init; }

    /// <summary>
    /// Where the prediction log goes (<c>keel server --prediction-log</c>): a directory or
    /// <c>file:///...</c> (JSON Lines files), <c>s3://bucket/prefix</c> or <c>mlflow-artifacts:</c> (Parquet
    /// objects, the latter in the artifacts destination); the log is kept under <c>predictions/</c> of it.
    /// Default: JSON Lines files under the data directory.
    /// </summary>
    public string? PredictionLog { get; init; }

    /// <summary>
    /// The online feature store (<c>keel server --online-store</c>, else <c>KEEL_ONLINE_STORE</c>):
    /// <c>sqlite:///path</c> or <c>redis://host:port[/db]</c>; null: <c>online.db</c> in the data directory.
    /// </summary>
    public string? OnlineStore { get; init; }

    /// <summary>Continuous monitoring's settings (bucket length, grace, retention); null for the defaults. <c>keel server</c> reads them from the environment.</summary>
    public Keel.Application.Monitoring.MonitoringOptions? Monitoring { get; init; }

    /// <summary>
    /// A file declaring one endpoint (<c>keel server --endpoint-spec</c>, the pinned spec of
    /// <c>keel deploy kubernetes</c>), applied at start: created when missing, its traffic made what
    /// the file says when it differs; null declares nothing.
    /// </summary>
    public string? EndpointSpec { get; init; }

    /// <summary>
    /// Alert evaluation and webhook settings (<c>keel server</c> reads them from KEEL_ALERT_INTERVAL_SECONDS
    /// and KEEL_WEBHOOK_*); null takes <see cref="Keel.Application.Alerts.AlertOptions"/>'s defaults.
    /// </summary>
    public Keel.Application.Alerts.AlertOptions? Alerts { get; init; }

    /// <summary>How pipelines run in this server (in-process steps, workers, scheduler interval; from
    /// KEEL_PIPELINE_*); null takes <see cref="Keel.Pipelines.Hosting.PipelineHostOptions"/>'s defaults.</summary>
    public Keel.Pipelines.Hosting.PipelineHostOptions? Pipelines { get; init; }

    /// <summary>Authentication and authorization (<c>--auth</c>, KEEL_AUTH*, KEEL_OIDC_*); null: off, which only a loopback address allows.</summary>
    public Keel.Server.Governance.AuthOptions? Auth { get; init; }

    /// <summary>How approvals are swept and dated; null takes <see cref="Keel.Application.Governance.ApprovalOptions"/>'s defaults. Tests put a fake clock here.</summary>
    public Keel.Application.Governance.ApprovalOptions? Approvals { get; init; }

    /// <summary>Where use cases report changes; null for none yet (the audit log replaces it). Tests put a capturing sink here.</summary>
    public Keel.Core.Governance.IAuditSink? Audit { get; init; }

    /// <summary>
    /// The window figures alert rules are judged on; null uses the server's own monitoring windows.
    /// Tests put a fake here.
    /// </summary>
    public Keel.Core.Monitoring.IMonitoringMetrics? MonitoringMetrics { get; init; }

    /// <summary>
    /// HTTPS on the port with this certificate and key (<c>--tls-cert</c>/<c>--tls-key</c>, KEEL_TLS_CERT/KEEL_TLS_KEY);
    /// null serves plain HTTP (behind a TLS-terminating proxy, or on loopback).
    /// </summary>
    public Keel.Server.Http.TlsOptions? Tls { get; init; }

    /// <summary>Request rate limits per user (<c>--rate-limit</c>, KEEL_RATE_LIMIT, KEEL_RATE_LIMIT_BURST); null: no limit.</summary>
    public Keel.Server.Http.RateLimitOptions? RateLimit { get; init; }
}
