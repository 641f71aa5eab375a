namespace Keel.Core.Configuration;

/// <summary>One environment variable Keel reads: its name and what it sets.</summary>
/// <param name="Name">The variable, e.g. <c>KEEL_DATA_DIR</c>.</param>
/// <param name="Description">What it sets, in one line.</param>
/// <param name="Secret">Whether its value is a secret (never printed).</param>
public sealed record KnownVariable(string Name, string Description, bool Secret = false)
{
    /// <summary>
    /// Its key in a config file: the name without <c>KEEL_</c>, in lower case (<c>KEEL_DATA_DIR</c> →
    /// <c>data_dir</c>); other vendors' variables keep their prefix (<c>MLFLOW_S3_ENDPOINT_URL</c> →
    /// <c>mlflow_s3_endpoint_url</c>).
    /// </summary>
    public string ConfigKey => (Name.StartsWith("KEEL_", StringComparison.Ordinal) ? Name[5..] : Name).ToLowerInvariant();
}

public static partial class KeelEnvironment
{
    /// <summary>
    /// Every variable a user may set to configure Keel (the ones Keel sets for the commands it runs,
    /// such as <c>KEEL_STEP</c>, are not settings and are not here). <c>keel doctor</c> warns about a
    /// <c>KEEL_</c> variable missing from this list; a config file may set exactly these (and the
    /// commands' options).
    /// </summary>
    public static IReadOnlyList<KnownVariable> Known { get; } =
    [
        new(DataDir, "The data directory of the embedded stores (default ~/.keel)."),
        new(TrackingUri, "The tracking server (http[s]://...) or backend store the CLI and the SDK use."),
        new(MlflowTrackingUri, "MLflow's tracking-URI variable, honoured after KEEL_TRACKING_URI."),
        new(BackendStoreUri, "The backend store of keel server (sqlite:///... or postgresql://...)."),
        new(ConfigFile, "The config file to read instead of ~/.keel/config.yaml."),
        new("KEEL_CREDENTIALS_FILE", "The file keel login keeps credentials in (default ~/.keel/credentials)."),
        new("MLFLOW_TRACKING_USERNAME", "The user name the CLI and the SDK sign in with (MLflow's variable)."),
        new("MLFLOW_TRACKING_PASSWORD", "The password the CLI and the SDK sign in with (MLflow's variable).", Secret: true),
        new("MLFLOW_TRACKING_TOKEN", "An API token the CLI and the SDK sign in with (MLflow's variable).", Secret: true),
        new(DeploymentsTarget, "The AI gateway gateway-proxy forwards to (MLflow's variable)."),
        new(TlsCert, "The PEM certificate keel server serves HTTPS with."),
        new(TlsKey, "The PEM private key of KEEL_TLS_CERT.", Secret: true),
        new(TlsCa, "A PEM CA bundle the SDK and CLI trust for an https server."),
        new(MlflowServerCertPath, "MLflow's CA bundle variable, honoured after KEEL_TLS_CA."),
        new(MlflowInsecureTls, "Skip TLS certificate checks (true); for tests only."),
        new("KEEL_AUTH", "Turn authentication on (true) for keel server on any address."),
        new("KEEL_ADMIN_USERNAME", "The first admin, created when keel server starts with authentication."),
        new("KEEL_ADMIN_PASSWORD", "The first admin's password.", Secret: true),
        new("KEEL_AUTH_DEFAULT_PERMISSION", "MLflow's default permission: READ, EDIT, MANAGE or NO_PERMISSIONS."),
        new("KEEL_AUTH_DEFAULT_ROLE", "The role every signed-in user has in every environment: none, viewer, editor, deployer or admin."),
        new("KEEL_AUTH_CACHE_SECONDS", "Seconds a verified credential is cached (0 to 86400)."),
        new("KEEL_OIDC_ISSUER", "The OIDC issuer whose bearer tokens keel server accepts."),
        new("KEEL_OIDC_AUDIENCE", "The audience OIDC tokens must carry."),
        new("KEEL_OIDC_JWKS_URI", "The JWKS of the OIDC issuer (default: from its discovery document)."),
        new("KEEL_OIDC_USERNAME_CLAIM", "The token claim that names the user."),
        new("KEEL_OIDC_ADMIN_GROUP", "The group whose members are admins."),
        new("KEEL_OIDC_ALLOW_HTTP", "Accept an http:// issuer (true); for tests only."),
        new(RateLimit, "Requests per second each user may make to keel server."),
        new(RateLimitBurst, "Requests a user may make at once above KEEL_RATE_LIMIT."),
        new(PredictionLogHashKey, "The key sensitive prediction-log columns are hashed with.", Secret: true),
        new(PredictionLogSampleRate, "Fraction of inference requests written to the prediction log, 0 to 1."),
        new(PredictionLogQueue, "Records the prediction log queue holds before it drops."),
        new(PredictionLogRetentionDays, "Days of prediction log kept."),
        new(PredictionLogFlushRecords, "Records the prediction log collects before it writes them."),
        new(PredictionLogFlushSeconds, "Seconds the prediction log holds records at most before it writes them."),
        new(PredictionLogReplicaId, "This server's name in the prediction log's object names."),
        new(MonitoringBucketSeconds, "Seconds per monitoring bucket (default 60)."),
        new(MonitoringGraceSeconds, "Seconds after a bucket ends before it is computed (default 30)."),
        new(MonitoringRetentionDays, "Days of monitoring buckets kept (default 30)."),
        new(MonitoringUnmatchedLabelDays, "Days an unmatched delayed label is kept (default 7)."),
        new(MonitoringInProcess, "Whether keel server computes monitoring buckets itself (default true)."),
        new(PipelineInProcess, "Whether keel server runs pipeline steps itself (default true)."),
        new(PipelineWorkers, "Pipeline steps keel server runs at once (default 2)."),
        new(PipelineSchedulerSeconds, "Seconds between pipeline scheduler passes (default 1)."),
        new(PipelineStepTimeoutSeconds, "Timeout of a pipeline step without its own (default 3600)."),
        new(RolloutIntervalMs, "Milliseconds between two looks of the rollout controller."),
        new(AlertIntervalSeconds, "Seconds between alert evaluation passes (default 30)."),
        new(WebhookSecret, "The secret alert webhooks are signed with.", Secret: true),
        new(WebhookMaxAttempts, "Attempts to deliver one alert event to one webhook (default 8)."),
        new(WebhookBackoffSeconds, "Seconds before the first webhook retry (default 5)."),
        new(OnlineStore, "The online feature store: sqlite:///path or redis://host:port[/db]."),
        new(RedisPassword, "The Redis password of a redis:// online store.", Secret: true),
        new("MLFLOW_S3_ENDPOINT_URL", "The S3 server of s3:// artifacts (MLflow's variable; default AWS)."),
        new("MLFLOW_S3_IGNORE_TLS", "Skip TLS checks against the S3 server (true)."),
        new("AWS_ACCESS_KEY_ID", "The S3 access key."),
        new("AWS_SECRET_ACCESS_KEY", "The S3 secret key.", Secret: true),
        new("AWS_SESSION_TOKEN", "An S3 session token.", Secret: true),
        new("AWS_DEFAULT_REGION", "The S3 region."),
        new("AWS_REGION", "The S3 region, after AWS_DEFAULT_REGION."),
        new("OPENLINEAGE_URL", "An OpenLineage endpoint (e.g. Marquez) lineage events are sent to."),
        new("OPENLINEAGE_ENDPOINT", "The path under OPENLINEAGE_URL (default api/v1/lineage)."),
        new("OPENLINEAGE_API_KEY", "The API key of the OpenLineage endpoint.", Secret: true),
        new("OPENLINEAGE_NAMESPACE", "The OpenLineage namespace of Keel's jobs."),
        new("KEEL_OPENLINEAGE_FILE", "A file OpenLineage events are appended to as JSON Lines."),
        new("KEEL_UI_DIR", "A folder to serve the web UI from instead of the built-in one."),
        new("KEEL_SCORER_DIR", "The folder keel package takes the standalone scorer from."),
        new("KEEL_TRACE_SQL", "Print each DuckDB query and its time to stderr (1); for debugging."),
        new("KEEL_TRACE_FULL", "With KEEL_TRACE_SQL, print queries in full (1)."),
    ];

    /// <summary>The known variable of that name, or null.</summary>
    /// <param name="name">The variable.</param>
    public static KnownVariable? Find(string name) => Known.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal));
}
