using Keel.Application.Alerts;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Hosting.Alerts;

/// <summary>
/// Drains the alert outbox on one replica, the holder of the <c>alert-webhooks</c> lease, apart
/// from the evaluator so that slow receivers never delay evaluation. Rows stay in the store until
/// delivered or given up, so a restart or a new leader carries on where the last one stopped.
/// </summary>
internal sealed class WebhookDeliveryLoop : BackgroundService
{
    /// <summary>The lease's name.</summary>
    public const string LeaseName = "alert-webhooks";

    private readonly WebhookDeliverer _deliverer;
    private readonly ILeaseStore _leases;
    private readonly AlertOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private LeaseFence? _lease;

    public WebhookDeliveryLoop(WebhookDeliverer deliverer, ILeaseStore leases, AlertOptions options, TimeProvider time, ILogger<WebhookDeliveryLoop> logger)
    {
        _deliverer = deliverer;
        _leases = leases;
        _options = options;
        _time = time;
        _logger = logger;
    }

    private TimeSpan LeaseDuration => _options.DeliveryTimeout * 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.DeliveryPoll, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; undelivered rows stay in the outbox.
        }
        finally
        {
            if (_lease is { } lease)
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
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            _lease = await _leases.TryAcquireAsync(LeaseName, _options.ReplicaId, LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (_lease is not null)
            {
                // Several batches in one tick when the outbox is backed up, renewing the lease between them.
                while (await _deliverer.DeliverDueAsync(_lease, cancellationToken).ConfigureAwait(false) > 0)
                {
                    _lease = await _leases.TryAcquireAsync(LeaseName, _options.ReplicaId, LeaseDuration, cancellationToken).ConfigureAwait(false);
                    if (_lease is null)
                    {
                        return;
                    }
                }
            }
        }
        catch (KeelException e)
        {
            _logger.LogWarning("Webhook delivery failed: {Message}", e.Message);
        }
    }
}
