namespace Keel.Core.Governance;

/// <summary>
/// A request that a change in a governed environment be approved by someone other than its
/// requester, with the change itself (so the server can carry it out once approved) and the evidence
/// a reviewer judges it by.
/// </summary>
/// <param name="Id">The approval's number.</param>
/// <param name="Environment">The environment the change deploys into.</param>
/// <param name="Action">What the change is, e.g. <c>registered_model.alias.set</c>, <c>endpoint.rollout.start</c>, <c>endpoint.promote</c>, <c>endpoint.traffic.set</c>.</param>
/// <param name="Resource">What it changes, e.g. <c>churn@champion</c> or an endpoint's name.</param>
/// <param name="Request">The change's request payload, as JSON.</param>
/// <param name="Evidence">What the reviewer is shown (model version, run, datasets and digests, gate report, model card, traffic), as JSON; or null.</param>
/// <param name="Requester">Who asked for the change.</param>
/// <param name="Reason">Why, as the requester wrote it; or null.</param>
/// <param name="State">Where the request is.</param>
/// <param name="CreatedAt">When it was requested, Unix milliseconds.</param>
/// <param name="ExpiresAt">When it expires unless decided, Unix milliseconds.</param>
/// <param name="DecidedBy">Who approved or rejected it, or null.</param>
/// <param name="DecidedAt">When it was approved, rejected or expired, or null.</param>
/// <param name="Comment">The reviewer's comment, or null.</param>
/// <param name="AppliedAt">When the change was carried out (or failed), or null.</param>
/// <param name="Result">What carrying it out produced, or null.</param>
/// <param name="Error">Why carrying it out failed, or null.</param>
/// <param name="Version">Raised by every change, for optimistic concurrency on decisions.</param>
public sealed record Approval(
    long Id,
    string Environment,
    string Action,
    string Resource,
    string Request,
    string? Evidence,
    string Requester,
    string? Reason,
    ApprovalState State,
    long CreatedAt,
    long ExpiresAt,
    string? DecidedBy,
    long? DecidedAt,
    string? Comment,
    long? AppliedAt,
    string? Result,
    string? Error,
    long Version);
