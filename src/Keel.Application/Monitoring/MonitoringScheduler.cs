using System.Globalization;
using Keel.Core.Jobs;
using Keel.Core.Serving;

namespace Keel.Application.Monitoring;

/// <summary>
/// The leader's pass of continuous monitoring: for every endpoint, enqueue a job per bucket that has
/// closed (ended more than the grace ago) since the newest stored one, and a quality job when
/// labels arrived; once an hour, purge what retention drops. Jobs carry idempotency keys, so two
/// leaders overlapping for a moment (a lease changing hands) enqueue each bucket once; and bucket
/// writes are replacements, so a bucket computed twice is stored once.
/// </summary>
public sealed class MonitoringScheduler(MonitoringService service, IServingStore serving, IJobQueue jobs, TimeProvider? time = null)
{
    /// <summary>Most bucket jobs one pass enqueues per endpoint (a long-idle scheduler catches up over several passes).</summary>
    public const int MaxBucketsPerPass = 500;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    /// <summary>One pass; returns the jobs it enqueued.</summary>
    public async Task<int> ScheduleAsync(CancellationToken cancellationToken)
    {
        var options = service.Options;
        var now = _time.GetUtcNow();
        var closedUntil = WindowLength.Floor(now - options.Grace, options.BucketSeconds);
        var enqueued = 0;
        foreach (var endpoint in await serving.ListEndpointsAsync(null, cancellationToken).ConfigureAwait(false))
        {
            var created = WindowLength.Floor(DateTimeOffset.FromUnixTimeMilliseconds(endpoint.CreatedAt), options.BucketSeconds);
            var next = await service.Store.LatestBucketEndAsync(endpoint.Name, cancellationToken).ConfigureAwait(false)
                ?? Max(created, WindowLength.Floor(now - options.Lookback, options.BucketSeconds));
            for (var i = 0; i < MaxBucketsPerPass && next < closedUntil; i++, next = next.AddSeconds(options.BucketSeconds))
            {
                var job = new MonitoringJob { Endpoint = endpoint.Name, StartMs = next.ToUnixTimeMilliseconds(), Seconds = options.BucketSeconds };
                await jobs.EnqueueAsync(new NewJob(MonitoringJob.BucketKind, job.ToJson(), Key(MonitoringJob.BucketKind, endpoint, job.StartMs), MaxAttempts: 5), cancellationToken).ConfigureAwait(false);
                enqueued++;
            }

            if ((await service.Store.StaleQualityBucketsAsync(endpoint.Name, cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                // One quality job per endpoint per interval, however many passes see the labels.
                var slot = now.ToUnixTimeMilliseconds() / (long)options.SchedulerInterval.TotalMilliseconds;
                var job = new MonitoringJob { Endpoint = endpoint.Name };
                await jobs.EnqueueAsync(new NewJob(MonitoringJob.QualityKind, job.ToJson(), Key(MonitoringJob.QualityKind, endpoint, slot)), cancellationToken).ConfigureAwait(false);
                enqueued++;
            }
        }

        if (now - _lastPurge > TimeSpan.FromHours(1))
        {
            _lastPurge = now;
            await service.Store.PurgeAsync(now.AddDays(-options.RetentionDays), now.AddDays(-options.UnmatchedLabelDays), cancellationToken).ConfigureAwait(false);
        }

        return enqueued;
    }

    // The endpoint's creation time is in the key: a deleted and recreated endpoint of the same name
    // gets its buckets computed afresh instead of matching the old endpoint's finished jobs.
    private static string Key(string kind, Endpoint endpoint, long slot) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}:{endpoint.Name}@{endpoint.CreatedAt}:{slot}");

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
