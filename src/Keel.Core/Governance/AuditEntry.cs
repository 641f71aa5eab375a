namespace Keel.Core.Governance;

/// <summary>
/// One change, as its maker reports it to the audit log: who, what, to which resource, the resource
/// as it was before and after (canonical JSON of the API's shape, null when it did not exist), and
/// the approval it was made under, if any. The log adds the time, the sequence and the hash chain.
/// </summary>
/// <param name="Actor">The authenticated user, or a system actor such as <c>keel:rollout-controller</c> or <c>keel:pipeline</c>.</param>
/// <param name="Action">What was done, <c>area.verb</c>, e.g. <c>registered_model.alias.set</c>, <c>endpoint.rollout.start</c>, <c>user.create</c>.</param>
/// <param name="ResourceType">The kind of resource, e.g. <c>registered_model</c>, <c>endpoint</c>, <c>user</c>.</param>
/// <param name="Resource">Its name or id, e.g. <c>churn</c>, <c>churn@champion</c>, <c>alice</c>.</param>
/// <param name="Before">The resource before, as JSON, or null.</param>
/// <param name="After">The resource after, as JSON, or null.</param>
/// <param name="Environment">The environment the resource belongs to, when it belongs to one.</param>
/// <param name="ApprovalId">The approval this change carried out, or null.</param>
public sealed record AuditEntry(
    string Actor,
    string Action,
    string ResourceType,
    string Resource,
    string? Before = null,
    string? After = null,
    string? Environment = null,
    long? ApprovalId = null);
