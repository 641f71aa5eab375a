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
}
