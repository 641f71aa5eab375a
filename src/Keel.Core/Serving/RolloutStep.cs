namespace Keel.Core.Serving;

/// <summary>One finished step of a rollout: the challenger's share, the outcome and why.</summary>
/// <param name="Percent">Challenger share during the step.</param>
/// <param name="Outcome"><c>passed</c>, <c>breached</c>, <c>promoted</c>, <c>aborted</c> or <c>rolled_back</c>.</param>
/// <param name="Reason">Why the step ended as it did (the breached limit, or who acted).</param>
/// <param name="StartedAt">Step start, Unix milliseconds.</param>
/// <param name="EndedAt">Step end, Unix milliseconds.</param>
/// <param name="Comparison">What was measured during the step; null when it ended without traffic.</param>
public sealed record RolloutStep(int Percent, string Outcome, string? Reason, long StartedAt, long EndedAt, StepComparison? Comparison);
