using Keel.Application.Jobs;
using Keel.Application.Monitoring;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Predictions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Monitoring;

/// <summary>
/// Continuous monitoring inside <c>keel server</c>: the replica holding the <c>monitoring-scheduler</c>
/// lease enqueues bucket and quality jobs each interval, and (unless <c>KEEL_MONITORING_IN_PROCESS</c>
/// is false) this replica also runs those jobs, so a laptop needs no worker. At scale, `keel worker`
/// replicas take the same jobs from the shared queue.
/// </summary>
internal sealed class MonitoringLoop : BackgroundService
{
    public const string LeaseName = "monitoring-scheduler";

    private readonly MonitoringScheduler _scheduler;
    private readonly MonitoringService _service;
    private readonly ILeaseStore _leases;
    private readonly IJobQueue _jobs;
    private readonly IPredictionLogReader _log;
    private readonly string _replica;
    private readonly ILogger<MonitoringLoop> _logger;
    private LeaseFence? _lease;

    public MonitoringLoop(MonitoringScheduler scheduler, MonitoringService service, ILeaseStore leases, IJobQueue jobs, IPredictionLogReader log, string replica, ILogger<MonitoringLoop> logger)
    {
        _scheduler = scheduler;
        _service = service;
        _leases = leases;
        _jobs = jobs;
        _log = log;
        _replica = replica;
        _logger = logger;
    }

    private TimeSpan Interval => _service.Options.SchedulerInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task worker = Task.CompletedTask;
        JobWorker? jobs = null;
        if (_service.Options.InProcess)
        {
            IJobHandler[] handlers = [new MonitoringBucketHandler(_service, _log), new MonitoringQualityHandler(_service)];
            jobs = new JobWorker(_jobs, handlers, new JobWorkerOptions($"{_replica}-monitoring", Concurrency: 1, LeaseDuration: TimeSpan.FromMinutes(2), PollInterval: Interval, DrainTimeout: TimeSpan.FromSeconds(5)));
            worker = jobs.RunAsync(stoppingToken);
        }

        try
        {
            using var timer = new PeriodicTimer(Interval);
            do
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_lease is { } lease)
            {
                await _leases.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            }

            await worker.ConfigureAwait(false);
            jobs?.Dispose();
        }
    }

    public async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            _lease = await _leases.TryAcquireAsync(LeaseName, _replica, Interval * 4 + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            if (_lease is not null)
            {
                await _scheduler.ScheduleAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KeelException e)
        {
            _logger.LogWarning("Monitoring scheduler tick failed: {Message}", e.Message);
        }
    }
}
