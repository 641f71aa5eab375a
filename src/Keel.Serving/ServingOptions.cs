using Keel.Core.Errors;

namespace Keel.Serving;

/// <summary>Settings of the model server, bound from <c>KEEL_SERVING_*</c> environment variables by <c>keel server</c>.</summary>
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

    /// <summary>How often the rollout controller looks at running rollouts (KEEL_ROLLOUT_INTERVAL_MS).</summary>
    public TimeSpan RolloutInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Shadow requests in flight beyond which copies are dropped, so a slow shadow cannot pile up work.</summary>
    public int MaxShadowInFlight { get; init; } = 64;

    /// <summary>Challenger and champion predictions kept per step for the divergence check.</summary>
    public int PredictionSampleSize { get; init; } = 2_048;

    /// <summary>Reads the environment variables named above; unset ones keep their defaults.</summary>
    public static ServingOptions FromEnvironment()
    {
        var o = new ServingOptions();
        if (Read("KEEL_PREDICTION_LOG_SAMPLE_RATE") is { } rate)
        {
            o = o with { PredictionLogSampleRate = Math.Clamp(rate, 0, 1) };
        }

        if (Read("KEEL_PREDICTION_LOG_QUEUE") is { } queue)
        {
            o = o with { PredictionLogQueueCapacity = Math.Max(1, (int)queue) };
        }

        if (Read(RetentionVariable) is { } days)
        {
            o = o with { PredictionLogRetentionDays = CheckRetentionDays(days, RetentionVariable) };
        }

        if (Read("KEEL_ROLLOUT_INTERVAL_MS") is { } ms)
        {
            o = o with { RolloutInterval = TimeSpan.FromMilliseconds(Math.Max(10, ms)) };
        }

        return o;
    }

    /// <summary>The environment variable of <see cref="PredictionLogRetentionDays"/>.</summary>
    public const string RetentionVariable = "KEEL_PREDICTION_LOG_RETENTION_DAYS";

    /// <summary>Checks a retention setting (whole days, at least 1); the error names where it came from.</summary>
    public static int CheckRetentionDays(double days, string source) =>
        days >= 1 && days <= MaxRetentionDays && days == Math.Floor(days)
            ? (int)days
            : throw KeelException.InvalidParameter($"{source} must be a whole number of days between 1 and {MaxRetentionDays}, got {days.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");

    /// <summary>The longest prediction-log retention, in days (a century).</summary>
    public const int MaxRetentionDays = 36_500;

    private static double? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is not { Length: > 0 } v ? null
        : double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
        : throw KeelException.InvalidParameter($"{name} must be a number, got '{v}'.");
}
