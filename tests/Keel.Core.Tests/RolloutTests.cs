using Keel.Core.Errors;
using Keel.Core.Serving;

namespace Keel.Core.Tests;

public sealed class RolloutTests
{
    private static readonly StepComparison Clean = new(500, 100, 0.0, 0.0, 2.0, 2.5, 0.01);

    private static Rollout NewRollout() =>
        new("r1", "models:/m/1", "models:/m/2", [10, 50, 100], 0, null, null, RolloutState.Running, null, 0, 0, null, []);

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
}
