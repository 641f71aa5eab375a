using Keel.Core.Serving;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Keel.Serving.Tests;

public sealed class RolloutDecisionTests
{
    private static readonly StepComparison Clean = new(500, 100, 0.0, 0.0, 2.0, 2.5, 0.01);

    private static Rollout NewRollout(double? holdSeconds = null, long? holdRequests = null, long now = 0) =>
        new("r1", "models:/m/1", "models:/m/2", [10, 50, 100], 0, holdSeconds, holdRequests, RolloutState.Running, null, now, now, null, []);

    [Fact]
    public void Timed_hold_waits_for_the_clock_without_sleeping()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        var start = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rollout = NewRollout(holdSeconds: 300, now: start);
        Assert.Equal(RolloutDecisionKind.Wait, RolloutDecision.Decide(rollout, RolloutPolicy.Default, Clean, clock.GetUtcNow().ToUnixTimeMilliseconds()).Kind);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(RolloutDecisionKind.Wait, RolloutDecision.Decide(rollout, RolloutPolicy.Default, Clean, clock.GetUtcNow().ToUnixTimeMilliseconds()).Kind);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(RolloutDecisionKind.Advance, RolloutDecision.Decide(rollout, RolloutPolicy.Default, Clean, clock.GetUtcNow().ToUnixTimeMilliseconds()).Kind);
    }

    [Fact]
    public void Request_hold_decides_on_challenger_traffic_and_too_little_traffic_waits()
    {
        var rollout = NewRollout(holdRequests: 200);
        Assert.Equal(RolloutDecisionKind.Wait, RolloutDecision.Decide(rollout, RolloutPolicy.Default, null, long.MaxValue).Kind);
        Assert.Equal(RolloutDecisionKind.Wait, RolloutDecision.Decide(rollout, RolloutPolicy.Default, Clean with { ChallengerRequests = 199 }, 0).Kind);
        Assert.Equal(RolloutDecisionKind.Advance, RolloutDecision.Decide(rollout, RolloutPolicy.Default, Clean with { ChallengerRequests = 200 }, 0).Kind);
        var last = rollout.Advance(Clean, 1).Advance(Clean, 2);
        Assert.Equal(RolloutDecisionKind.Promote, RolloutDecision.Decide(last, RolloutPolicy.Default, Clean with { ChallengerRequests = 200 }, 0).Kind);
    }

    [Fact]
    public void A_breach_rolls_back_before_the_hold_ends()
    {
        var decision = RolloutDecision.Decide(NewRollout(holdRequests: 10_000), RolloutPolicy.Default, Clean with { ChallengerErrorRate = 0.5 }, 0);
        Assert.Equal(RolloutDecisionKind.RollBack, decision.Kind);
        Assert.StartsWith("step 10%: error rate", decision.Reason, StringComparison.Ordinal);
    }
}
