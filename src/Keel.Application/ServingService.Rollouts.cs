using Keel.Application.Validation;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Serving;

namespace Keel.Application;

// Progressive rollouts: start, step, promote, abort, roll back. The rollout controller calls the
// same methods as an operator, so every automatic decision is stored and audited the same way.
public sealed partial class ServingService
{
    /// <summary>Starts a canary rollout of <paramref name="modelUri"/> at the first step's share and returns.</summary>
    public async Task<Endpoint> StartRolloutAsync(string? name, string? modelUri, IReadOnlyList<int>? steps, double? holdSeconds, long? holdRequests, RolloutPolicy? policy, string? actor, CancellationToken cancellationToken = default, long? expectedVersion = null)
    {
        var given = ServingRules.ModelUri(modelUri);
        var s = ServingRules.Steps(steps);
        var (seconds, requests) = ServingRules.Hold(holdSeconds, holdRequests);
        var p = policy is null ? null : ServingRules.Policy(policy);
        ServingRules.Name(name);
        var uri = await PinAsync(given, cancellationToken).ConfigureAwait(false);
        return await ChangeAsync(name, "rollout.start", $"{Pinned(given, uri)} steps {string.Join(",", s)}", actor, e =>
        {
            EnsureNotRollingOut(e);
            var now = Now();
            var champion = e.Primary;
            if (champion.ModelUri == uri)
            {
                throw KeelException.InvalidParameter($"'{uri}' is already the champion of endpoint '{e.Name}'.");
            }

            var rollout = new Rollout(Guid.NewGuid().ToString("N")[..12], champion.ModelUri, uri, s, 0, seconds, requests, RolloutState.Running, null, now, now, null, []);
            return e.WithNewRollout(rollout) with
            {
                Mode = EndpointMode.Canary,
                Policy = p ?? e.Policy,
                Routes = [champion with { Weight = 100 - s[0] }, new Route(uri, s[0], RouteRole.Challenger)],
            };
        }, expectedVersion, null, cancellationToken, Gated(
            "endpoint.rollout.start",
            new Keel.Core.Wire.StartRolloutRequest { ModelUri = uri, Steps = [.. s], HoldSeconds = holdSeconds, HoldRequests = holdRequests, Policy = p },
            Keel.Core.Wire.ServingJson.Default.StartRolloutRequest, actor, uri)).ConfigureAwait(false);
    }

    /// <summary>Ends the current step as passed and raises the challenger to the next share.</summary>
    /// <remarks>The controller passes the revision it judged and its lease: a step is applied once, by the current leader, to the state it saw.</remarks>
    public Task<Endpoint> AdvanceRolloutAsync(string? name, string rolloutId, StepComparison comparison, CancellationToken cancellationToken = default, long? expectedVersion = null, LeaseFence? fence = null) =>
        ChangeAsync(name, "rollout.step", null, "rollout-controller", e =>
        {
            var r = RunningRollout(e, rolloutId).Advance(comparison, Now());
            return e with { Rollout = r, Routes = CanaryRoutes(r) };
        }, expectedVersion, fence, cancellationToken);

    /// <summary>Makes the challenger the champion; the old champion stays loaded as standby.</summary>
    public Task<Endpoint> PromoteAsync(string? name, string? reason, StepComparison? comparison, string? actor, CancellationToken cancellationToken = default, string? rolloutId = null, long? expectedVersion = null, LeaseFence? fence = null) =>
        ChangeAsync(name, "rollout.promote", reason, actor, e =>
        {
            var r = RunningRollout(e, rolloutId).Promote(comparison, reason ?? $"promoted by {actor ?? "an operator"}", Now());
            return e with
            {
                Mode = EndpointMode.Single,
                Rollout = r,
                Routes = [new Route(r.ChallengerUri, 100, RouteRole.Primary), new Route(r.ChampionUri, 0, RouteRole.Standby)],
            };
        }, expectedVersion, fence, cancellationToken, fence is not null ? null : Gated(
            "endpoint.promote", new Keel.Core.Wire.EndpointActionRequest { Reason = reason }, Keel.Core.Wire.ServingJson.Default.EndpointActionRequest, actor, null));

    /// <summary>Stops a running rollout; the champion takes all traffic again.</summary>
    public Task<Endpoint> AbortAsync(string? name, string? reason, string? actor, CancellationToken cancellationToken = default, long? expectedVersion = null) =>
        ChangeAsync(name, "rollout.abort", reason, actor, e =>
        {
            var r = RunningRollout(e, null).Abort(reason ?? $"aborted by {actor ?? "an operator"}", Now());
            return e with { Mode = EndpointMode.Single, Rollout = r, Routes = [e.Primary with { Weight = 100 }] };
        }, expectedVersion, null, cancellationToken);

    /// <summary>
    /// Rolls back: a running rollout returns all traffic to the champion (recording why); after a
    /// promotion or a blue-green switch, the standby version takes all traffic back at once.
    /// </summary>
    public Task<Endpoint> RollbackAsync(string? name, string? reason, StepComparison? comparison, string? actor, CancellationToken cancellationToken = default, string? rolloutId = null, long? expectedVersion = null, LeaseFence? fence = null) =>
        ChangeAsync(name, "rollout.rollback", reason, actor, e =>
        {
            var now = Now();
            var why = reason ?? $"rolled back by {actor ?? "an operator"}";
            if (e.IsRollingOut)
            {
                var r = RunningRollout(e, rolloutId).RollBack(comparison, why, now);
                return e with { Mode = EndpointMode.Single, Rollout = r, Routes = [e.Primary with { Weight = 100 }] };
            }

            if (rolloutId is not null)
            {
                throw new KeelException(ErrorCode.ResourceConflict, $"Rollout {rolloutId} of '{e.Name}' is no longer running.");
            }

            var standby = e.Routes.FirstOrDefault(x => x.Role == RouteRole.Standby)
                ?? throw new KeelException(ErrorCode.ResourceConflict, $"Endpoint '{e.Name}' has no previous version to roll back to.");
            var rollout = e.Rollout is { State: RolloutState.Promoted } promoted ? promoted.RollBack(comparison, why, now) : e.Rollout;
            return e with
            {
                Mode = EndpointMode.Single,
                Rollout = rollout,
                Routes = [new Route(standby.ModelUri, 100, RouteRole.Primary), new Route(e.Primary.ModelUri, 0, RouteRole.Standby)],
            };
        }, expectedVersion, fence, cancellationToken);

    private static Rollout RunningRollout(Endpoint e, string? rolloutId)
    {
        if (e.Rollout is not { State: RolloutState.Running } r || (rolloutId is not null && r.Id != rolloutId))
        {
            throw new KeelException(ErrorCode.ResourceConflict, $"Endpoint '{e.Name}' has no rollout in progress.");
        }

        return r;
    }

    private static Route[] CanaryRoutes(Rollout r) =>
        [new Route(r.ChampionUri, 100 - r.CurrentPercent, RouteRole.Primary), new Route(r.ChallengerUri, r.CurrentPercent, RouteRole.Challenger)];
}
