namespace Keel.Core.Governance;

/// <summary>
/// One event of the audit log: the reported <see cref="AuditEntry"/> with the log's sequence, time
/// and hash chain. <c>Hash = SHA-256(PreviousHash || canonical encoding)</c>, see <see cref="AuditChain"/>.
/// </summary>
/// <param name="Sequence">Position in the chain, from 1, without gaps.</param>
/// <param name="Timestamp">When it was appended, Unix milliseconds.</param>
/// <param name="Actor">Who made the change.</param>
/// <param name="Action">What was done, <c>area.verb</c>.</param>
/// <param name="ResourceType">The kind of resource.</param>
/// <param name="Resource">Its name or id.</param>
/// <param name="Environment">The environment the resource belongs to, or null.</param>
/// <param name="ApprovalId">The approval this change carried out or decided, or null.</param>
/// <param name="Before">The resource before, JSON, or null.</param>
/// <param name="After">The resource after, JSON, or null.</param>
/// <param name="PreviousHash">The preceding event's hash (32 zero bytes for the first event).</param>
/// <param name="Hash">This event's hash.</param>
public sealed record AuditEvent(
    long Sequence,
    long Timestamp,
    string Actor,
    string Action,
    string ResourceType,
    string Resource,
    string? Environment,
    long? ApprovalId,
    string? Before,
    string? After,
    byte[] PreviousHash,
    byte[] Hash);
