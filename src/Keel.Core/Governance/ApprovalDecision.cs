namespace Keel.Core.Governance;

/// <summary>One move of an approval along <see cref="ApprovalTransitions"/>.</summary>
/// <param name="To">The state it moves to.</param>
/// <param name="By">Who decided (approved, rejected), or null for the server's own moves.</param>
/// <param name="Comment">The reviewer's comment, or null.</param>
/// <param name="ExpectedVersion">The version the decision was made from; a different stored version is a conflict. Null: any.</param>
/// <param name="Result">For applied: what the change produced.</param>
/// <param name="Error">For failed: why the change could not be carried out.</param>
public sealed record ApprovalDecision(ApprovalState To, string? By, string? Comment, long? ExpectedVersion, string? Result = null, string? Error = null);
