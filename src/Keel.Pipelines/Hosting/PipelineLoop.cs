using Keel.Application.Jobs;
using Keel.Application.Pipelines;
using Keel.Application.Pipelines.Scheduling;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Pipelines.Hosting;

/// <summary>
/// Pipelines inside <c>keel server</c>: the replica holding the <c>pipeline-scheduler</c> lease fires
/// triggers and reconciles unfinished runs each interval, and (unless <c>KEEL_PIPELINE_IN_PROCESS</c>
/// is false) this replica also runs steps from the job queue, so a laptop needs no worker. At scale,
/// <c>keel worker</c> replicas take the same step jobs from the shared queue.
/// </summary>
public sealed class PipelineLoop : BackgroundService
{
    /// <summary>The scheduler's lease.</summary>
    public const string LeaseName = "pipeline-scheduler";

    private readonly PipelineRunner _runner;
    private readonly PipelineScheduler _scheduler;
    private readonly ILeaseStore _leases;
    private readonly IJobQueue _jobs;
    private readonly JobSignal _signal;
    private readonly PipelineHostOptions _options;
    private readonly string _replica;
    private readonly ILogger<PipelineLoop> _logger;
    private LeaseFence? _lease;
    private long _ticks;

    /// <param name="runner">Runs steps.</param>
    /// <param name="scheduler">Fires triggers.</param>
    /// <param name="leases">The lease store.</param>
    /// <param name="jobs">The job queue.</param>
    /// <param name="signal">Wakes the in-process workers.</param>
    /// <param name="options">Settings.</param>
    /// <param name="replica">This replica's id.</param>
    /// <param name="logger">The log.</param>
    public PipelineLoop(PipelineRunner runner, PipelineScheduler scheduler, ILeaseStore leases, IJobQueue jobs, JobSignal signal, PipelineHostOptions options, string replica, ILogger<PipelineLoop> logger)
    {
        _runner = runner;
        _scheduler = scheduler;
        _leases = leases;
        _jobs = jobs;
        _signal = signal;
        _options = options;
        _replica = replica;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task worker = Task.CompletedTask;
        JobWorker? steps = null;
        if (_options.InProcess)
        {
            steps = new JobWorker(
                _jobs, [new PipelineStepHandler(_runner)],
                new JobWorkerOptions($"{_replica}-pipelines", Concurrency: _options.Workers, LeaseDuration: TimeSpan.FromMinutes(1), PollInterval: TimeSpan.FromSeconds(1), DrainTimeout: TimeSpan.FromSeconds(10)),
                line => _logger.LogDebug("{Line}", line), _signal);
            worker = steps.RunAsync(stoppingToken);
        }

        try
        {
            using var timer = new PeriodicTimer(_options.SchedulerInterval);
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
            steps?.Dispose();
        }
    }

    /// <summary>One scheduler pass, if this replica holds (or takes) the lease.</summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            _lease = await _leases.TryAcquireAsync(LeaseName, _replica, (_options.SchedulerInterval * 4) + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            if (_lease is null)
            {
                return;
            }

            await _scheduler.FireAsync(_lease, cancellationToken).ConfigureAwait(false);
            if (_ticks++ % _options.ReconcileEvery == 0)
            {
                await _scheduler.ReconcileAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KeelException e)
        {
            _logger.LogWarning("Pipeline scheduler pass failed: {Message}", e.Message);
        }
    }
}
