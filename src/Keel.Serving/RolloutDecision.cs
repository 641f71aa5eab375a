using Keel.Compute.Serving;
using Keel.Core.Serving;

namespace Keel.Serving;

/// <summary>What the rollout controller does next.</summary>
internal enum RolloutDecisionKind
{
    Wait,
    Advance,
    Promote,
    RollBack,
}

/// <summary>
/// The controller's decision for one running rollout, as a pure function of the rollout, its
/// policy, the step's measurements and the time, so holds are tested with a fake clock.
/// </summary>
internal readonly record struct RolloutDecision(RolloutDecisionKind Kind, string? Reason)
{
    /// <param name="comparison">The step's measurements; null while the challenger has fewer than the policy's minimum requests.</param>
    /// <param name="now">Unix milliseconds.</param>
    public static RolloutDecision Decide(Rollout rollout, RolloutPolicy policy, StepComparison? comparison, long now)
    {
        // Too little traffic to judge: wait, whatever the clock says.
        if (comparison is null || comparison.ChallengerRequests < policy.MinRequests)
        {
            return new(RolloutDecisionKind.Wait, null);
        }

        // A breach rolls back at once, without waiting for the hold to end.
        if (RolloutJudge.FindBreach(policy, comparison) is { } breach)
        {
            return new(RolloutDecisionKind.RollBack, $"step {rollout.CurrentPercent}%: {breach}");
        }

        var held = rollout.HoldRequests is { } n
            ? comparison.ChallengerRequests >= n
            : now - rollout.StepStartedAt >= (rollout.HoldSeconds ?? 0) * 1000;
        if (!held)
        {
            return new(RolloutDecisionKind.Wait, null);
        }

        return rollout.IsLastStep ? new(RolloutDecisionKind.Promote, "all steps passed") : new(RolloutDecisionKind.Advance, null);
    }
}
