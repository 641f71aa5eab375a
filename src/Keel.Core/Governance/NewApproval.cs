namespace Keel.Core.Governance;

/// <summary>A request for approval as its maker states it; the store numbers and dates it, in state requested.</summary>
/// <param name="Environment">The environment the change deploys into.</param>
/// <param name="Action">What the change is.</param>
/// <param name="Resource">What it changes.</param>
/// <param name="Request">The change's request payload, as JSON.</param>
/// <param name="Evidence">The evidence, as JSON, or null.</param>
/// <param name="Requester">Who asks.</param>
/// <param name="Reason">Why, or null.</param>
/// <param name="ExpiresAt">When it expires unless decided, Unix milliseconds.</param>
public sealed record NewApproval(
    string Environment, string Action, string Resource, string Request, string? Evidence, string Requester, string? Reason, long ExpiresAt);
