using Keel.Core.Jobs;

namespace Keel.Application.Monitoring;

/// <summary>Runs <see cref="MonitoringJob.QualityKind"/> jobs: recomputes the quality of an endpoint's buckets that received labels.</summary>
public sealed class MonitoringQualityHandler(MonitoringService service) : IJobHandler
{
    /// <inheritdoc/>
    public string Kind => MonitoringJob.QualityKind;

    /// <inheritdoc/>
    public async Task<string?> RunAsync(Job job, CancellationToken cancellationToken)
    {
        var payload = MonitoringJob.Parse(job.Payload);
        var buckets = await service.RefreshQualityAsync(payload.Endpoint, cancellationToken).ConfigureAwait(false);
        return $"{{\"buckets\":{buckets}}}";
    }
}
