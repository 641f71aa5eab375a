namespace Keel.Core.Governance;

/// <summary>Which approvals to list, newest first.</summary>
/// <param name="State">Only those in this state, or null.</param>
/// <param name="Environment">Only those of this environment, or null.</param>
/// <param name="MaxResults">The most to return.</param>
public sealed record ApprovalQuery(ApprovalState? State, string? Environment, int MaxResults = 100);
