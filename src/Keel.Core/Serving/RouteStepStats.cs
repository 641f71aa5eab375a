namespace Keel.Core.Serving;

/// <summary>
/// What one replica saw of one route during one step of a rollout: published to the store by every
/// replica, so the rollout controller judges the challenger on all traffic, not on its own share.
/// A replica republishes its running totals; the newest row per replica replaces the older one.
/// </summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="RolloutId">The rollout.</param>
/// <param name="StepIndex">The step within the rollout.</param>
/// <param name="ModelUri">The route's model URI.</param>
/// <param name="Role">The route's role in that step.</param>
/// <param name="Replica">The replica that served the requests.</param>
/// <param name="Requests">Requests served.</param>
/// <param name="Errors">Requests that failed.</param>
/// <param name="LatencyBuckets">Request counts per latency bucket (Keel's fixed bucket bounds).</param>
/// <param name="Samples">Recent predictions (bounded), for the divergence check.</param>
/// <param name="UpdatedAt">When the replica published this row, Unix milliseconds.</param>
public sealed record RouteStepStats(
    string Endpoint,
    string RolloutId,
    int StepIndex,
    string ModelUri,
    RouteRole Role,
    string Replica,
    long Requests,
    long Errors,
    IReadOnlyList<long> LatencyBuckets,
    IReadOnlyList<double> Samples,
    long UpdatedAt)
{
    /// <summary>The most predictions a row carries.</summary>
    public const int MaxSamples = 512;
}
