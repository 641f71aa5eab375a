using Keel.Compute.Serving;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Keel.Serving.Tests;

public sealed class RolloutTests
{
    private static readonly StepComparison Clean = new(500, 100, 0.0, 0.0, 2.0, 2.5, 0.01);

    private static Rollout NewRollout(double? holdSeconds = null, long? holdRequests = null, long now = 0) =>
        new("r1", "models:/m/1", "models:/m/2", [10, 50, 100], 0, holdSeconds, holdRequests, RolloutState.Running, null, now, now, null, []);

    [Theory]
    [InlineData(RolloutState.Running, RolloutState.Promoted, true)]
    [InlineData(RolloutState.Running, RolloutState.RolledBack, true)]
    [InlineData(RolloutState.Running, RolloutState.Aborted, true)]
    [InlineData(RolloutState.Promoted, RolloutState.RolledBack, true)]
    [InlineData(RolloutState.Promoted, RolloutState.Running, false)]
    [InlineData(RolloutState.RolledBack, RolloutState.Promoted, false)]
    [InlineData(RolloutState.Aborted, RolloutState.Running, false)]
    public void Transition_table(RolloutState from, RolloutState to, bool allowed) => Assert.Equal(allowed, from.CanMoveTo(to));

    [Fact]
    public void Steps_advance_then_promote_recording_each_outcome()
    {
        var r = NewRollout().Advance(Clean, 10).Advance(Clean, 20);
        Assert.Equal(100, r.CurrentPercent);
        Assert.True(r.IsLastStep);
        Assert.Throws<KeelException>(() => r.Advance(Clean, 30));
        var done = r.Promote(Clean, "all steps passed", 30);
        Assert.Equal(RolloutState.Promoted, done.State);
        Assert.Equal(["passed", "passed", "promoted"], done.History.Select(h => h.Outcome));
        Assert.Equal([10, 50, 100], done.History.Select(h => h.Percent));
    }

    [Fact]
    public void A_finished_rollout_cannot_be_aborted_or_promoted_again()
    {
        var aborted = NewRollout().Abort("operator", 5);
        var e = Assert.Throws<KeelException>(() => aborted.Promote(null, "x", 6));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        Assert.Throws<KeelException>(() => NewRollout().RollBack(null, "breach", 1).Abort("late", 2));
    }

    [Fact]
    public void Rollback_records_the_reason_on_the_breached_step()
    {
        var r = NewRollout().Advance(Clean, 10).RollBack(Clean, "step 50%: error rate", 20);
        Assert.Equal(RolloutState.RolledBack, r.State);
        Assert.Equal("step 50%: error rate", r.Reason);
        Assert.Equal(("breached", 50), (r.History[^1].Outcome, r.History[^1].Percent));
    }

    [Theory]
    [InlineData(0.0, 0.05, 2.0, 2.0, 0.0, "error rate")]
    [InlineData(0.0, 0.0, 2.0, 12.0, 0.0, "p99 latency")]
    [InlineData(0.0, 0.0, 2.0, 2.0, 0.5, "divergence")]
    [InlineData(0.01, 0.015, 2.0, 8.9, 0.19, null)]
    public void Judge_names_the_breached_limit(double champErr, double challErr, double champP99, double challP99, double divergence, string? expected)
    {
        var breach = RolloutJudge.FindBreach(RolloutPolicy.Default, new StepComparison(1000, 100, champErr, challErr, champP99, challP99, divergence));
        if (expected is null)
        {
            Assert.Null(breach);
        }
        else
        {
            Assert.Contains(expected, breach, StringComparison.Ordinal);
        }
    }

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
