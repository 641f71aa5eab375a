using Keel.Application.Governance;
using Keel.Core.Coordination;
using Keel.Core.Errors;

namespace Keel.Server.Governance;

/// <summary>
/// Expires requests nobody decided in time: each interval, the replica holding the
/// <c>approval-sweep</c> lease moves every request past its expiry to expired (audited as
/// <c>approval.expire</c>). Reads expire them too, so a late sweep is never seen as a live request.
/// </summary>
internal sealed class ApprovalSweep : BackgroundService
{
    public const string LeaseName = "approval-sweep";

    private readonly ApprovalService _approvals;
    private readonly ILeaseStore _leases;
    private readonly string _replica;
    private readonly TimeSpan _interval;
    private readonly ILogger<ApprovalSweep> _logger;
    private LeaseFence? _lease;

    public ApprovalSweep(ApprovalService approvals, ILeaseStore leases, string replica, TimeSpan interval, ILogger<ApprovalSweep> logger)
    {
        _approvals = approvals;
        _leases = leases;
        _replica = replica;
        _interval = interval;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_interval);
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
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            _lease = await _leases.TryAcquireAsync(LeaseName, _replica, _interval * 4 + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            if (_lease is not null && await _approvals.ExpireDueAsync(cancellationToken).ConfigureAwait(false) is var n and > 0)
            {
                _logger.LogInformation("Expired {Count} approval request(s) nobody decided in time.", n);
            }
        }
        catch (KeelException e)
        {
            _logger.LogWarning("Approval sweep failed: {Message}", e.Message);
        }
    }
}
