using Keel.Application;
using Keel.Compute.Serving;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving;

/// <summary>
/// Drives running rollouts across replicas. At each tick every replica publishes what it saw of
/// each running rollout's current step (<see cref="RouteStepStats"/>); one replica, the holder of
/// the <c>rollout-controller</c> lease, then judges each rollout on the sum over all replicas: a
/// breach rolls back at once (with the reason), a step whose hold is over advances, and the last
/// step promotes. Each decision is stored through <see cref="ServingService"/> with the revision it
/// judged and the lease's fence, in the same transaction: a step is applied once, and a leader that
/// lost its lease cannot apply anything. A new leader carries on from the stored rollout.
/// </summary>
internal sealed class RolloutController : BackgroundService
{
    /// <summary>The lease's name.</summary>
    public const string LeaseName = "rollout-controller";

    private readonly ServingRuntime _runtime;
    private readonly ServingService _service;
    private readonly IServingStore _store;
    private readonly IServingStatsStore _stats;
    private readonly ILeaseStore _leases;
    private readonly ServingMetrics _metrics;
    private readonly ServingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutController> _logger;
    private LeaseFence? _lease;

    public RolloutController(
        ServingRuntime runtime, ServingService service, IServingStore store, IServingStatsStore stats, ILeaseStore leases,
        ServingMetrics metrics, ServingOptions options, TimeProvider time, ILogger<RolloutController> logger)
    {
        _runtime = runtime;
        _service = service;
        _store = store;
        _stats = stats;
        _leases = leases;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long the lease lasts unless renewed: long enough to ride out a slow tick, short enough for a quick takeover.</summary>
    public TimeSpan LeaseDuration => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(5).Ticks, _options.RolloutInterval.Ticks * 4));

    /// <summary>True while this replica holds the lease.</summary>
    public bool IsLeader => _lease is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RolloutInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the rollout's state is in the store.
        }
        finally
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One tick: publish this replica's figures, then, as leader, judge every running rollout.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync(cancellationToken).ConfigureAwait(false);
            _lease = await _leases.TryAcquireAsync(LeaseName, _options.ReplicaId, LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (_lease is null)
            {
                return;
            }

            foreach (var endpoint in await _store.ListEndpointsAsync(null, cancellationToken).ConfigureAwait(false))
            {
                if (endpoint.IsRollingOut)
                {
                    await EvaluateGuardedAsync(endpoint, _lease, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (KeelException e)
        {
            // The store is unreachable: judge nothing on stale figures; the next tick tries again.
            _logger.LogWarning("Rollout controller tick failed: {Message}", e.Message);
        }
    }

    private async Task EvaluateGuardedAsync(Endpoint endpoint, LeaseFence lease, CancellationToken cancellationToken)
    {
        try
        {
            await EvaluateAsync(endpoint, lease, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
        {
            // An operator or another leader changed it in between, or our lease lapsed: the next
            // tick looks at the stored state again.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Rollout evaluation failed for endpoint {Endpoint}", endpoint.Name);
        }
    }

    private async Task EvaluateAsync(Endpoint endpoint, LeaseFence lease, CancellationToken cancellationToken)
    {
        var rollout = endpoint.Rollout!;
        var rows = await _stats.ReadStatsAsync(endpoint.Name, rollout.Id, cancellationToken).ConfigureAwait(false);
        var comparison = Compare(rows, rollout.StepIndex, rollout.ChampionUri, rollout.ChallengerUri, endpoint.Policy.MinRequests);
        var decision = RolloutDecision.Decide(rollout, endpoint.Policy, comparison, _time.GetUtcNow().ToUnixTimeMilliseconds());
        switch (decision.Kind)
        {
            case RolloutDecisionKind.RollBack:
                _logger.LogWarning("Rolling back {Endpoint}: {Reason}", endpoint.Name, decision.Reason);
                await _service.RollbackAsync(endpoint.Name, decision.Reason, comparison, "rollout-controller", cancellationToken, rollout.Id, endpoint.Version, lease).ConfigureAwait(false);
                _metrics.RolloutTransitions.WithLabels(endpoint.Name, "rollback").Inc();
                break;
            case RolloutDecisionKind.Promote:
                await _service.PromoteAsync(endpoint.Name, decision.Reason, comparison, "rollout-controller", cancellationToken, rollout.Id, endpoint.Version, lease).ConfigureAwait(false);
                _metrics.RolloutTransitions.WithLabels(endpoint.Name, "promote").Inc();
                break;
            case RolloutDecisionKind.Advance:
                await _service.AdvanceRolloutAsync(endpoint.Name, rollout.Id, comparison!, cancellationToken, endpoint.Version, lease).ConfigureAwait(false);
                _metrics.RolloutTransitions.WithLabels(endpoint.Name, "step").Inc();
                break;
        }
    }

    // What this replica saw of the current step of every rollout it serves, as running totals.
    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = new List<RouteStepStats>();
        foreach (var table in _runtime.Tables)
        {
            if (table.Endpoint is not { IsRollingOut: true, Rollout: { } rollout })
            {
                continue;
            }

            foreach (var v in table.Variants.Where(v => v.Route.Role is RouteRole.Primary or RouteRole.Challenger))
            {
                var samples = v.Step.Samples();
                rows.Add(new RouteStepStats(
                    table.Name, rollout.Id, rollout.StepIndex, v.Route.ModelUri, v.Route.Role, _options.ReplicaId, v.Step.Requests, v.Step.Errors,
                    v.Step.LatencyCounts(), samples.Length > RouteStepStats.MaxSamples ? samples[^RouteStepStats.MaxSamples..] : samples, now));
            }
        }

        if (rows.Count > 0)
        {
            await _stats.PublishStatsAsync(rows, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The step's comparison from every replica's rows, or null while the challenger has fewer than
    /// <paramref name="minRequests"/> requests in the step. The champion's figures come from this step
    /// when it had enough traffic; at the 100% step it has none, so its figures over the whole
    /// rollout stand in.
    /// </summary>
    internal static StepComparison? Compare(IReadOnlyList<RouteStepStats> rows, int stepIndex, string championUri, string challengerUri, long minRequests)
    {
        var challenger = Sum(rows.Where(r => r.StepIndex == stepIndex && r.Role == RouteRole.Challenger && r.ModelUri == challengerUri));
        if (challenger.Requests < minRequests)
        {
            return null;
        }

        var championStep = Sum(rows.Where(r => r.StepIndex == stepIndex && r.Role == RouteRole.Primary && r.ModelUri == championUri));
        var champion = championStep.Requests >= minRequests ? championStep : Sum(rows.Where(r => r.Role == RouteRole.Primary && r.ModelUri == championUri));
        return new StepComparison(
            champion.Requests,
            challenger.Requests,
            champion.ErrorRate,
            challenger.ErrorRate,
            LatencyBuckets.Quantile(champion.Latency, 0.99) / 1000.0,
            LatencyBuckets.Quantile(challenger.Latency, 0.99) / 1000.0,
            Divergence.OfSamples(champion.Samples.ToArray(), challenger.Samples.ToArray()));
    }

    private static Totals Sum(IEnumerable<RouteStepStats> rows)
    {
        var latency = new long[LatencyBuckets.Count];
        var samples = new List<double>();
        long requests = 0, errors = 0;
        foreach (var r in rows)
        {
            requests += r.Requests;
            errors += r.Errors;
            for (var i = 0; i < Math.Min(latency.Length, r.LatencyBuckets.Count); i++)
            {
                latency[i] += r.LatencyBuckets[i];
            }

            samples.AddRange(r.Samples);
        }

        return new Totals(requests, errors, latency, samples);
    }

    private async Task ReleaseAsync()
    {
        if (_lease is { } lease)
        {
            _lease = null;
            try
            {
                // Hand over at once on a clean stop, rather than after the lease expires.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _leases.ReleaseAsync(lease, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KeelException or OperationCanceledException)
            {
                _logger.LogInformation("The rollout-controller lease was not released ({Message}); it expires by itself.", e.Message);
            }
        }
    }

    private sealed record Totals(long Requests, long Errors, long[] Latency, List<double> Samples)
    {
        public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;
    }
}
