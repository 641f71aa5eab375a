using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Core.Configuration;

/// <summary>
/// Every environment variable Keel reads, declared here, and the only code that reads the
/// environment. Each reader parses and checks its value: a value that breaks its rule raises
/// INVALID_PARAMETER_VALUE naming the variable, the value and the rule, never a format error or a
/// silent default. <c>keel server</c> and the CLI read what they use when they start, so a bad
/// setting stops them before they do anything. Unset or blank means "not set".
/// </summary>
public static partial class KeelEnvironment
{
    /// <summary>The data directory of the embedded stores (default <c>~/.keel</c>).</summary>
    public const string DataDir = "KEEL_DATA_DIR";

    /// <summary>The tracking server (or backend store) the CLI and the SDK use.</summary>
    public const string TrackingUri = "KEEL_TRACKING_URI";

    /// <summary>The config file read instead of <c>~/.keel/config.yaml</c> (as <c>--config</c>).</summary>
    public const string ConfigFile = "KEEL_CONFIG";

    /// <summary>MLflow's tracking-URI variable, honoured after <see cref="TrackingUri"/>.</summary>
    public const string MlflowTrackingUri = "MLFLOW_TRACKING_URI";

    /// <summary>The metadata store of <c>keel server</c> when <c>--backend-store-uri</c> is not given (<c>postgresql://...</c>, <c>sqlite:///...</c>); unset: the data directory's SQLite file.</summary>
    public const string BackendStoreUri = "KEEL_BACKEND_STORE_URI";

    /// <summary>The AI gateway that <c>gateway-proxy</c> forwards to (MLflow's variable).</summary>
    public const string DeploymentsTarget = "MLFLOW_DEPLOYMENTS_TARGET";

    /// <summary>The PEM certificate <c>keel server</c> serves HTTPS with (as <c>--tls-cert</c>; needs <see cref="TlsKey"/>).</summary>
    public const string TlsCert = "KEEL_TLS_CERT";

    /// <summary>The PEM private key of <see cref="TlsCert"/> (as <c>--tls-key</c>).</summary>
    public const string TlsKey = "KEEL_TLS_KEY";

    /// <summary>A PEM CA bundle the SDK and CLI trust for an https server, besides the system's roots.</summary>
    public const string TlsCa = "KEEL_TLS_CA";

    /// <summary>MLflow's CA bundle variable, honoured after <see cref="TlsCa"/>.</summary>
    public const string MlflowServerCertPath = "MLFLOW_TRACKING_SERVER_CERT_PATH";

    /// <summary>MLflow's switch to skip TLS certificate checks (<c>true</c>); for tests only.</summary>
    public const string MlflowInsecureTls = "MLFLOW_TRACKING_INSECURE_TLS";

    /// <summary>Requests per second each user (or client address) may make to <c>keel server</c>; unset: no limit.</summary>
    public const string RateLimit = "KEEL_RATE_LIMIT";

    /// <summary>Requests a user may make at once above <see cref="RateLimit"/> (default: the rate, so a bucket holds two seconds' worth).</summary>
    public const string RateLimitBurst = "KEEL_RATE_LIMIT_BURST";

    /// <summary>The key sensitive columns of the prediction log are hashed with (HMAC-SHA256); unset: one generated and kept in the data directory.</summary>
    public const string PredictionLogHashKey = "KEEL_PREDICTION_LOG_HASH_KEY";

    /// <summary>Fraction of inference requests written to the prediction log, 0 to 1.</summary>
    public const string PredictionLogSampleRate = "KEEL_PREDICTION_LOG_SAMPLE_RATE";

    /// <summary>Records the prediction log queue holds before it drops.</summary>
    public const string PredictionLogQueue = "KEEL_PREDICTION_LOG_QUEUE";

    /// <summary>Days of prediction log kept.</summary>
    public const string PredictionLogRetentionDays = "KEEL_PREDICTION_LOG_RETENTION_DAYS";

    /// <summary>Seconds per monitoring bucket, the unit windows are merged from (default 60; windows must be multiples of it).</summary>
    public const string MonitoringBucketSeconds = "KEEL_MONITORING_BUCKET_SECONDS";

    /// <summary>Seconds after a bucket ends before it is computed, so every replica's prediction log has been flushed (default 30).</summary>
    public const string MonitoringGraceSeconds = "KEEL_MONITORING_GRACE_SECONDS";

    /// <summary>Days of monitoring buckets and indexed predictions kept (default 30).</summary>
    public const string MonitoringRetentionDays = "KEEL_MONITORING_RETENTION_DAYS";

    /// <summary>Days a delayed label that matches no logged prediction is kept, waiting for one (default 7).</summary>
    public const string MonitoringUnmatchedLabelDays = "KEEL_MONITORING_UNMATCHED_LABEL_DAYS";

    /// <summary>Whether <c>keel server</c> computes monitoring buckets itself (default true); false leaves them to <c>keel worker</c> replicas.</summary>
    public const string MonitoringInProcess = "KEEL_MONITORING_IN_PROCESS";

    /// <summary>Whether <c>keel server</c> runs pipeline steps itself (default true); false leaves them to <c>keel worker</c> replicas.</summary>
    public const string PipelineInProcess = "KEEL_PIPELINE_IN_PROCESS";

    /// <summary>Pipeline steps a <c>keel server</c> runs at the same time when it runs them in process (default 2).</summary>
    public const string PipelineWorkers = "KEEL_PIPELINE_WORKERS";

    /// <summary>Seconds between pipeline scheduler passes (triggers; default 1).</summary>
    public const string PipelineSchedulerSeconds = "KEEL_PIPELINE_SCHEDULER_SECONDS";

    /// <summary>Timeout in seconds of a pipeline step without its own <c>timeout_seconds</c> (default 3600).</summary>
    public const string PipelineStepTimeoutSeconds = "KEEL_PIPELINE_STEP_TIMEOUT_SECONDS";

    /// <summary>Records the prediction log collects before it writes them (one Parquet object per endpoint and hour).</summary>
    public const string PredictionLogFlushRecords = "KEEL_PREDICTION_LOG_FLUSH_RECORDS";

    /// <summary>Seconds the prediction log holds collected records at most before it writes them.</summary>
    public const string PredictionLogFlushSeconds = "KEEL_PREDICTION_LOG_FLUSH_SECONDS";

    /// <summary>This server's name in the prediction log's object names (default: host name and process id).</summary>
    public const string PredictionLogReplicaId = "KEEL_PREDICTION_LOG_REPLICA_ID";

    /// <summary>Milliseconds between two looks of the rollout controller at running rollouts.</summary>
    public const string RolloutIntervalMs = "KEEL_ROLLOUT_INTERVAL_MS";

    /// <summary>Seconds between two evaluation passes of the alert evaluator over every enabled rule (1 to 86400; default 30).</summary>
    public const string AlertIntervalSeconds = "KEEL_ALERT_INTERVAL_SECONDS";

    /// <summary>
    /// The secret alert webhooks are signed with (HMAC-SHA256 of the body in <c>X-Keel-Signature-256</c>),
    /// unless a rule has its own. Unset: webhooks of rules without a secret go unsigned.
    /// </summary>
    public const string WebhookSecret = "KEEL_WEBHOOK_SECRET";

    /// <summary>Attempts to deliver one alert event to one webhook before giving up (1 to 100; default 8).</summary>
    public const string WebhookMaxAttempts = "KEEL_WEBHOOK_MAX_ATTEMPTS";

    /// <summary>Seconds before the first retry of a failed webhook delivery; each retry waits twice as long, at most an hour (0.01 to 3600; default 5).</summary>
    public const string WebhookBackoffSeconds = "KEEL_WEBHOOK_BACKOFF_SECONDS";

    /// <summary>The online feature store (<c>--online-store</c>): <c>sqlite:///path</c> or <c>redis://host:port[/db]</c>; unset: <c>online.db</c> in the data directory.</summary>
    public const string OnlineStore = "KEEL_ONLINE_STORE";

    /// <summary>The Redis password of a <c>redis://</c> online store whose URI carries none.</summary>
    public const string RedisPassword = "KEEL_REDIS_PASSWORD";

    /// <summary>The terminal width (set by shells); <c>keel</c> fits tables into it when stdout is redirected.</summary>
    public const string Columns = "COLUMNS";

    /// <summary>Any non-empty value turns colours off in the CLI (no-color.org).</summary>
    public const string NoColor = "NO_COLOR";

    /// <summary>The variable's text, trimmed; null when unset or blank.</summary>
    /// <param name="name">The variable.</param>
    public static string? Text(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A file-system path as given (the caller resolves it, e.g. a leading <c>~</c>); null when unset.</summary>
    /// <param name="name">The variable.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a value that is no path.</exception>
    public static string? FilePath(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        try
        {
            _ = text.Any(char.IsControl) ? throw Invalid(name, text, "a directory path") : Path.GetFullPath(text);
            return text;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Invalid(name, text, "a directory path");
        }
    }

    /// <summary>A number from <paramref name="min"/> to <paramref name="max"/>; null when unset.</summary>
    /// <param name="name">The variable.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for text that is no number or one out of range.</exception>
    public static double? Number(string name, double min, double max) =>
        Parsed(name, string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max}"), text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? (double?)value : null);

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; null when unset.</summary>
    /// <param name="name">The variable.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for text that is no whole number or one out of range.</exception>
    public static int? WholeNumber(string name, int min, int max) =>
        Parsed(name, string.Create(CultureInfo.InvariantCulture, $"a whole number from {min} to {max}"), text =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? (int?)value : null);

    /// <summary>An absolute http:// or https:// URL; null when unset.</summary>
    /// <param name="name">The variable.</param>
    /// <param name="what">What the URL names, for the message (e.g. "an MLflow AI gateway").</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for anything else.</exception>
    public static Uri? HttpUrl(string name, string what) =>
        Parsed(name, $"an http:// or https:// URL of {what}", text =>
            Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0 ? uri : null);

    // Every typed reader: unset stays null, a value its parser refuses is refused naming the rule.
    private static T? Parsed<T>(string name, string rule, Func<string, T?> parse)
        where T : struct =>
        Text(name) is { } text ? parse(text) ?? throw Invalid(name, text, rule) : null;

    private static Uri? Parsed(string name, string rule, Func<string, Uri?> parse) =>
        Text(name) is { } text ? parse(text) ?? throw Invalid(name, text, rule) : null;

    /// <summary>The refusal of a bad setting, naming where it came from and the rule; for callers with rules of their own.</summary>
    /// <param name="name">The variable (or option) the value came from.</param>
    /// <param name="value">The value as given.</param>
    /// <param name="rule">What it must be, e.g. "a whole number from 1 to 10".</param>
    public static KeelException Invalid(string name, string value, string rule) =>
        KeelException.InvalidParameter(FileSources.TryGetValue(name, out var source)
            ? $"Setting {source}='{value}' is invalid: it must be {rule}."
            : $"Environment variable {name}='{value}' is invalid: it must be {rule}.");

    // Variables a config file set (the environment had none): where each came from, for messages.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> FileSources = new(StringComparer.Ordinal);

    /// <summary>
    /// Sets a variable the environment leaves unset from a config file (the environment wins over
    /// the file), remembering where it came from so a bad value is reported against the file.
    /// </summary>
    /// <param name="name">The variable.</param>
    /// <param name="value">The file's value.</param>
    /// <param name="source">Where it came from, e.g. <c>data_dir in /home/me/.keel/config.yaml</c>.</param>
    /// <returns>Whether the file's value was used (false: the environment already sets it).</returns>
    public static bool SetFromFile(string name, string value, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Text(name) is not null)
        {
            return false;
        }

        Environment.SetEnvironmentVariable(name, value);
        FileSources[name] = source;
        return true;
    }

    /// <summary>Where a set variable's value came from, for messages: the config file's key when the file set it, else the variable.</summary>
    /// <param name="name">The variable.</param>
    public static string Source(string name) => FileSource(name) ?? name;

    /// <summary>Where a variable's value came from when a config file set it; null otherwise.</summary>
    /// <param name="name">The variable.</param>
    public static string? FileSource(string name) => FileSources.TryGetValue(name, out var source) ? source : null;
}
