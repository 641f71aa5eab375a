using Keel.Application.Alerts;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Hosting.Alerts;

/// <summary>
/// Evaluates every enabled alert rule at each interval, on one replica: the holder of the
/// <c>alert-evaluator</c> lease. Each change it records carries the lease's fence, checked in the
/// same transaction, so a replica that lost the lease cannot record anything; a new leader carries
/// on from the stored alerts. Hosted by <c>keel server</c> (and can be by <c>keel worker</c>).
/// </summary>
internal sealed class AlertEvaluationLoop : BackgroundService
{
    /// <summary>The lease's name.</summary>
    public const string LeaseName = "alert-evaluator";

    private readonly AlertService _service;
    private readonly ILeaseStore _leases;
    private readonly AlertOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private LeaseFence? _lease;

    public AlertEvaluationLoop(AlertService service, ILeaseStore leases, AlertOptions options, TimeProvider time, ILogger<AlertEvaluationLoop> logger)
    {
        _service = service;
        _leases = leases;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Long enough to ride out a slow pass, short enough for a quick takeover.</summary>
    public TimeSpan LeaseDuration => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, _options.Interval.Ticks * 3));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            do
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the alerts are in the store.
        }
        finally
        {
            if (_lease is { } lease)
            {
                await ReleaseQuietlyAsync(lease).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One tick: take or renew the lease, and as leader run a pass.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            _lease = await _leases.TryAcquireAsync(LeaseName, _options.ReplicaId, LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (_lease is null)
            {
                return;
            }

            var pass = await _service.EvaluateAsync(_lease, cancellationToken).ConfigureAwait(false);
            foreach (var error in pass.Errors)
            {
                _logger.LogWarning("Alert rule not evaluated: {Error}", error);
            }
        }
        catch (KeelException e)
        {
            // The store is unreachable or the lease lapsed mid-pass: the next tick looks again.
            _logger.LogWarning("Alert evaluation failed: {Message}", e.Message);
        }
    }

    private async Task ReleaseQuietlyAsync(LeaseFence lease)
    {
        try
        {
            await _leases.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (KeelException)
        {
            // It expires on its own.
        }
    }
}
