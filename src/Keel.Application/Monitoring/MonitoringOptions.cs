using Keel.Core.Configuration;

namespace Keel.Application.Monitoring;

/// <summary>Settings of continuous monitoring, from the environment (see <see cref="KeelEnvironment"/>) or given by the host.</summary>
public sealed record MonitoringOptions
{
    /// <summary>The most seconds a bucket may last (a day).</summary>
    public const int MaxBucketSeconds = 86_400;

    /// <summary>Seconds per bucket: windows merge buckets, so a window is a whole number of them.</summary>
    public int BucketSeconds { get; init; } = 60;

    /// <summary>How long after a bucket ends it is computed (prediction logs flush in the meantime).</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back the first computation of a new endpoint reaches.</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Days of buckets and indexed predictions kept.</summary>
    public int RetentionDays { get; init; } = 30;

    /// <summary>Days an unmatched label is kept.</summary>
    public int UnmatchedLabelDays { get; init; } = 7;

    /// <summary>Whether the server computes buckets itself, besides scheduling them.</summary>
    public bool InProcess { get; init; } = true;

    /// <summary>How often the scheduler looks for closed buckets and stale quality.</summary>
    public TimeSpan SchedulerInterval => TimeSpan.FromSeconds(Math.Clamp(BucketSeconds / 2.0, 0.5, 15));

    /// <summary>The defaults overridden by the environment; a malformed value fails at start with its variable's name.</summary>
    public static MonitoringOptions FromEnvironment(MonitoringOptions? defaults = null)
    {
        var o = defaults ?? new MonitoringOptions();
        return o with
        {
            BucketSeconds = KeelEnvironment.WholeNumber(KeelEnvironment.MonitoringBucketSeconds, 1, MaxBucketSeconds) ?? o.BucketSeconds,
            Grace = KeelEnvironment.WholeNumber(KeelEnvironment.MonitoringGraceSeconds, 0, 86_400) is { } grace ? TimeSpan.FromSeconds(grace) : o.Grace,
            RetentionDays = KeelEnvironment.WholeNumber(KeelEnvironment.MonitoringRetentionDays, 1, 3_650) ?? o.RetentionDays,
            UnmatchedLabelDays = KeelEnvironment.WholeNumber(KeelEnvironment.MonitoringUnmatchedLabelDays, 1, 3_650) ?? o.UnmatchedLabelDays,
            InProcess = KeelEnvironment.Text(KeelEnvironment.MonitoringInProcess) is { } flag
                ? flag.Trim().ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" => true,
                    "false" or "0" or "no" => false,
                    _ => throw Keel.Core.Errors.KeelException.InvalidParameter($"Invalid {KeelEnvironment.MonitoringInProcess} '{flag}': use true or false."),
                }
                : o.InProcess,
        };
    }
}
