namespace Keel.Client;

/// <summary>Transport settings of <see cref="KeelClient"/>. The defaults follow MLflow's Python client.</summary>
public sealed record KeelClientOptions
{
    /// <summary>How many times an idempotent call is retried after a retryable failure (MLFLOW_HTTP_REQUEST_MAX_RETRIES).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first backoff delay; each retry doubles it, with jitter (MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest single backoff delay, so a large retry count cannot stall a caller for minutes per attempt.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one attempt until the response headers arrive (MLFLOW_HTTP_REQUEST_TIMEOUT).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How to sign in; null (the default) reads MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME and
    /// MLFLOW_TRACKING_PASSWORD, then the token <c>keel login</c> saved for the server.
    /// </summary>
    public KeelCredentials? Credentials { get; init; }

    /// <summary>Send no credentials at all, even when the environment has some.</summary>
    public bool Anonymous { get; init; }

    /// <summary>
    /// A PEM CA bundle to trust for an https server besides the system's roots (e.g. the server's own
    /// self-signed certificate). Default: KEEL_TLS_CA, else MLflow's MLFLOW_TRACKING_SERVER_CERT_PATH.
    /// Applies to the HttpClient the client creates, not to one passed in.
    /// </summary>
    public string? TrustedCaFile { get; init; } =
        Keel.Core.Configuration.KeelEnvironment.Text(Keel.Core.Configuration.KeelEnvironment.TlsCa)
        ?? Keel.Core.Configuration.KeelEnvironment.Text(Keel.Core.Configuration.KeelEnvironment.MlflowServerCertPath);

    /// <summary>
    /// Skip the check of the server's certificate (MLflow's MLFLOW_TRACKING_INSECURE_TLS=true, the default
    /// here too); for tests only: anyone on the path can then read and change the traffic.
    /// </summary>
    public bool InsecureTls { get; init; } =
        Keel.Core.Configuration.KeelEnvironment.Text(Keel.Core.Configuration.KeelEnvironment.MlflowInsecureTls)?.ToUpperInvariant() is "TRUE" or "1";
}
