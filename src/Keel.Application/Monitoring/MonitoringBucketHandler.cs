using Keel.Core.Jobs;
using Keel.Core.Predictions;

namespace Keel.Application.Monitoring;

/// <summary>Runs <see cref="MonitoringJob.BucketKind"/> jobs: one bucket from the prediction log into the monitoring store (idempotent: a rerun replaces it).</summary>
public sealed class MonitoringBucketHandler(MonitoringService service, IPredictionLogReader log) : IJobHandler
{
    /// <inheritdoc/>
    public string Kind => MonitoringJob.BucketKind;

    /// <inheritdoc/>
    public async Task<string?> RunAsync(Job job, CancellationToken cancellationToken)
    {
        var payload = MonitoringJob.Parse(job.Payload);
        var requests = await service.ComputeBucketAsync(log, payload.Endpoint, DateTimeOffset.FromUnixTimeMilliseconds(payload.StartMs), payload.Seconds, cancellationToken).ConfigureAwait(false);
        return $"{{\"requests\":{requests}}}";
    }
}
