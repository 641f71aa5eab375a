using Keel.Application;
using Keel.Compute.Serving;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving;

/// <summary>
/// Drives running rollouts: at each tick it compares every challenger with its champion over the
/// current step; a breach rolls back at once (with the reason), a step whose hold is over advances,
/// and the last step promotes. Decisions go through <see cref="ServingService"/>, so they are stored
/// and audited like an operator's; a restarted server finds the rollout in the store and carries on.
/// </summary>
internal sealed class RolloutController : BackgroundService
{
    private readonly ServingRuntime _runtime;
    private readonly ServingService _service;
    private readonly ServingMetrics _metrics;
    private readonly ServingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutController> _logger;

    public RolloutController(ServingRuntime runtime, ServingService service, ServingMetrics metrics, ServingOptions options, TimeProvider time, ILogger<RolloutController> logger)
    {
        _runtime = runtime;
        _service = service;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RolloutInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await EvaluateAllAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the rollout's state is in the store.
        }
    }

    public async Task EvaluateAllAsync(CancellationToken cancellationToken)
    {
        foreach (var table in _runtime.Tables)
        {
            if (!table.Endpoint.IsRollingOut)
            {
                continue;
            }

            try
            {
                await EvaluateAsync(table, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
            {
                // An operator promoted, aborted or rolled back in between; nothing left to do.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogError(e, "Rollout evaluation failed for endpoint {Endpoint}", table.Name);
            }
        }
    }

    private async Task EvaluateAsync(RoutingTable table, CancellationToken cancellationToken)
    {
        var endpoint = table.Endpoint;
        var rollout = endpoint.Rollout!;
        var challenger = table.Variants.FirstOrDefault(v => v.Route.Role == RouteRole.Challenger);
        if (challenger is null)
        {
            return;
        }

        var comparison = challenger.Step.Requests >= endpoint.Policy.MinRequests ? Compare(table.Primary, challenger, endpoint.Policy.MinRequests) : null;
        var decision = RolloutDecision.Decide(rollout, endpoint.Policy, comparison, _time.GetUtcNow().ToUnixTimeMilliseconds());
        switch (decision.Kind)
        {
            case RolloutDecisionKind.RollBack:
                _logger.LogWarning("Rolling back {Endpoint}: {Reason}", endpoint.Name, decision.Reason);
                await _service.RollbackAsync(endpoint.Name, decision.Reason, comparison, "rollout-controller", cancellationToken, rollout.Id).ConfigureAwait(false);
                _metrics.RolloutTransitions.WithLabels(endpoint.Name, "rollback").Inc();
                break;
            case RolloutDecisionKind.Promote:
                await _service.PromoteAsync(endpoint.Name, decision.Reason, comparison, "rollout-controller", cancellationToken, rollout.Id).ConfigureAwait(false);
                _metrics.RolloutTransitions.WithLabels(endpoint.Name, "promote").Inc();
                break;
            case RolloutDecisionKind.Advance:
                await _service.AdvanceRolloutAsync(endpoint.Name, rollout.Id, comparison!, cancellationToken).ConfigureAwait(false);
                _metrics.RolloutTransitions.WithLabels(endpoint.Name, "step").Inc();
                break;
        }
    }

    /// <summary>
    /// Champion figures come from this step when it had enough traffic; at the 100% step it has
    /// none, so its figures since start stand in.
    /// </summary>
    internal static StepComparison Compare(Variant champion, Variant challenger, long minRequests)
    {
        var reference = champion.Step.Requests >= minRequests ? champion.Step : champion.Live;
        return new StepComparison(
            reference.Requests,
            challenger.Step.Requests,
            reference.ErrorRate,
            challenger.Step.ErrorRate,
            reference.QuantileMs(0.99),
            challenger.Step.QuantileMs(0.99),
            Divergence.OfSamples(reference.Samples(), challenger.Step.Samples()));
    }
}
