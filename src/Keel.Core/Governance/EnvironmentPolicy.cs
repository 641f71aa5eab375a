namespace Keel.Core.Governance;

/// <summary>How changes in one environment are governed.</summary>
/// <param name="Name">The environment, e.g. <c>prod</c>.</param>
/// <param name="RequiresApproval">Whether a deploying change (alias move, rollout, promotion, traffic) needs another person's approval first.</param>
/// <param name="ApprovalTtlSeconds">How long a request waits for a decision before it expires.</param>
public sealed record EnvironmentPolicy(string Name, bool RequiresApproval, long ApprovalTtlSeconds);
