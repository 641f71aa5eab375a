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
}
