using Keel.Core.Configuration;
using Keel.Core.Errors;

namespace Keel.Serving;

/// <summary>Settings of the model server; <c>keel server</c> reads them from the KEEL_PREDICTION_LOG_* and KEEL_ROLLOUT_* environment variables (<see cref="FromEnvironment"/>).</summary>
public sealed record ServingOptions
{
    /// <summary>Fraction of requests written to the prediction log, 0..1 (KEEL_PREDICTION_LOG_SAMPLE_RATE).</summary>
    public double PredictionLogSampleRate { get; init; } = 1.0;

    /// <summary>Records the prediction log queue holds before it drops (KEEL_PREDICTION_LOG_QUEUE).</summary>
    public int PredictionLogQueueCapacity { get; init; } = 65_536;

    /// <summary>Records written per batch.</summary>
    public int PredictionLogBatchSize { get; init; } = 1_024;

    /// <summary>
    /// Days of prediction log kept (KEEL_PREDICTION_LOG_RETENTION_DAYS, <c>keel server
    /// --prediction-log-retention-days</c>): the writer deletes day files older than this many days,
    /// at start and once a day. Null (the default) keeps every day.
    /// </summary>
    public int? PredictionLogRetentionDays { get; init; }

    /// <summary>
    /// Records the prediction log writer collects before it writes them (KEEL_PREDICTION_LOG_FLUSH_RECORDS).
    /// Null takes the log's own default: <see cref="PredictionLogBatchSize"/> for JSON Lines files,
    /// 10,000 for Parquet objects (one object per endpoint and hour per write).
    /// </summary>
    public int? PredictionLogFlushRecords { get; init; }

    /// <summary>
    /// The longest the writer holds collected records before writing them (KEEL_PREDICTION_LOG_FLUSH_SECONDS).
    /// Null takes the log's own default: at once for JSON Lines files, a minute for Parquet objects.
    /// </summary>
    public TimeSpan? PredictionLogFlushInterval { get; init; }

    /// <summary>
    /// This server's name in the names of the objects it writes (KEEL_PREDICTION_LOG_REPLICA_ID): 1-64
    /// letters, digits, '-', '_' or '.'. Null names it after the host and process id, so replicas sharing
    /// a location never write the same object.
    /// </summary>
    public string? PredictionLogReplicaId { get; init; }

    /// <summary>How often the rollout controller looks at running rollouts (KEEL_ROLLOUT_INTERVAL_MS).</summary>
    public TimeSpan RolloutInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// This replica's name in the store: it holds leases and publishes rollout figures under it.
    /// Unique per process by default (host name and process id), so a restarted replica is a new one.
    /// </summary>
    public string ReplicaId { get; init; } = Logging.ReplicaId.Default();

    /// <summary>Shadow requests in flight beyond which copies are dropped, so a slow shadow cannot pile up work.</summary>
    public int MaxShadowInFlight { get; init; } = 64;

    /// <summary>Challenger and champion predictions kept per step for the divergence check.</summary>
    public int PredictionSampleSize { get; init; } = 2_048;

    /// <summary>The most records the prediction log queue may hold.</summary>
    public const int MaxPredictionLogQueueCapacity = 16 * 1024 * 1024;

    /// <summary>The most records the prediction log writer may collect before writing.</summary>
    public const int MaxPredictionLogFlushRecords = 1_000_000;

    /// <summary>The longest the prediction log writer may hold records, in seconds (a day).</summary>
    public const int MaxPredictionLogFlushSeconds = 86_400;

    /// <summary>The shortest pause of the rollout controller, in milliseconds.</summary>
    public const int MinRolloutIntervalMs = 10;

    /// <summary>The longest pause of the rollout controller, in milliseconds (an hour).</summary>
    public const int MaxRolloutIntervalMs = 3_600_000;

    /// <summary>
    /// The settings from the environment variables named above, each checked (a bad value raises
    /// INVALID_PARAMETER_VALUE naming the variable and its rule); unset ones keep their defaults.
    /// <c>keel server</c> calls it once, at start.
    /// </summary>
    public static ServingOptions FromEnvironment()
    {
        var o = new ServingOptions();
        return o with
        {
            PredictionLogSampleRate = KeelEnvironment.Number(KeelEnvironment.PredictionLogSampleRate, 0, 1) ?? o.PredictionLogSampleRate,
            PredictionLogQueueCapacity = KeelEnvironment.WholeNumber(KeelEnvironment.PredictionLogQueue, 1, MaxPredictionLogQueueCapacity) ?? o.PredictionLogQueueCapacity,
            PredictionLogRetentionDays = KeelEnvironment.WholeNumber(KeelEnvironment.PredictionLogRetentionDays, 1, MaxRetentionDays) ?? o.PredictionLogRetentionDays,
            PredictionLogFlushRecords = KeelEnvironment.WholeNumber(KeelEnvironment.PredictionLogFlushRecords, 1, MaxPredictionLogFlushRecords) ?? o.PredictionLogFlushRecords,
            PredictionLogFlushInterval = KeelEnvironment.WholeNumber(KeelEnvironment.PredictionLogFlushSeconds, 0, MaxPredictionLogFlushSeconds) is { } seconds
                ? TimeSpan.FromSeconds(seconds)
                : o.PredictionLogFlushInterval,
            PredictionLogReplicaId = KeelEnvironment.Text(KeelEnvironment.PredictionLogReplicaId) is { } replica
                ? Logging.ReplicaId.Check(replica, KeelEnvironment.PredictionLogReplicaId)
                : o.PredictionLogReplicaId,
            // One name per replica: the prediction log's replica id, when set, is also the name it leads and publishes rollout figures under.
            ReplicaId = KeelEnvironment.Text(KeelEnvironment.PredictionLogReplicaId) is { } named
                ? Logging.ReplicaId.Check(named, KeelEnvironment.PredictionLogReplicaId)
                : o.ReplicaId,
            RolloutInterval = KeelEnvironment.WholeNumber(KeelEnvironment.RolloutIntervalMs, MinRolloutIntervalMs, MaxRolloutIntervalMs) is { } ms
                ? TimeSpan.FromMilliseconds(ms)
                : o.RolloutInterval,
        };
    }

    /// <summary>Checks a retention setting (whole days, at least 1); the error names where it came from.</summary>
    public static int CheckRetentionDays(double days, string source) =>
        days >= 1 && days <= MaxRetentionDays && days == Math.Floor(days)
            ? (int)days
            : throw KeelException.InvalidParameter($"{source} must be a whole number of days between 1 and {MaxRetentionDays}, got {days.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");

    /// <summary>The longest prediction-log retention, in days (a century).</summary>
    public const int MaxRetentionDays = 36_500;
}
