namespace Keel.Core.Governance;

/// <summary>
/// The tamper-evident audit log: an append-only, hash-chained list of <see cref="AuditEvent"/>s.
/// There is no update and no delete. Appends are serialized so the chain never forks, whichever
/// replica appends; <see cref="VerifyAsync"/> recomputes every hash from the stored fields.
/// </summary>
public interface IAuditLog : IAuditSink
{
    /// <summary>Appends one change at the head of the chain and returns it with its sequence, time and hashes.</summary>
    /// <param name="entry">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Events matching every filter of <paramref name="query"/>, in the order it asks for.</summary>
    /// <param name="query">The filters, order and page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Streams the whole chain from its first event, recomputing every hash; stops at the first broken link.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}

/// <summary>Filters for <see cref="IAuditLog.QueryAsync"/>; a null filter matches everything.</summary>
public sealed record AuditQuery
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxPage = 10_000;

    /// <summary>Only events by this actor.</summary>
    public string? Actor { get; init; }

    /// <summary>Only events whose action starts with this text (<c>endpoint.</c>, <c>registered_model.alias.set</c>).</summary>
    public string? ActionPrefix { get; init; }

    /// <summary>Only events on this kind of resource.</summary>
    public string? ResourceType { get; init; }

    /// <summary>Only events on this resource (exact name).</summary>
    public string? Resource { get; init; }

    /// <summary>Only events carried out under, or deciding, this approval.</summary>
    public long? ApprovalId { get; init; }

    /// <summary>Only events at or after this time (Unix milliseconds).</summary>
    public long? From { get; init; }

    /// <summary>Only events at or before this time (Unix milliseconds).</summary>
    public long? To { get; init; }

    /// <summary>Only events after this sequence when oldest first, before it when newest first (paging).</summary>
    public long? AfterSequence { get; init; }

    /// <summary>Page size, 1 to <see cref="MaxPage"/>.</summary>
    public int MaxResults { get; init; } = 100;

    /// <summary>Newest first (the default) or oldest first.</summary>
    public bool NewestFirst { get; init; } = true;
}

/// <summary>What verifying the chain found.</summary>
/// <param name="Intact">True when every event's hashes are as recomputed and no sequence is missing.</param>
/// <param name="Count">Events checked (up to and including the broken one, when there is one).</param>
/// <param name="HeadSequence">The last intact event's sequence, or 0 for an empty log.</param>
/// <param name="HeadHash">The last intact event's hash (hex), or the genesis hash for an empty log.</param>
/// <param name="BrokenSequence">The first broken link's sequence, or null.</param>
/// <param name="Problem">Why it is broken, or null.</param>
/// <param name="Detail">A sentence naming the broken link, or null.</param>
public sealed record AuditVerification(
    bool Intact,
    long Count,
    long HeadSequence,
    string HeadHash,
    long? BrokenSequence,
    AuditChainProblem? Problem,
    string? Detail);

/// <summary>How a link of the chain can be broken.</summary>
public enum AuditChainProblem
{
    /// <summary>The stored hash is not the hash of the stored fields: a field was edited.</summary>
    HashMismatch,

    /// <summary>The stored previous hash is not the preceding event's hash: an event was replaced or reordered.</summary>
    PreviousHashMismatch,

    /// <summary>A sequence number is missing or out of order: an event was deleted or reordered.</summary>
    SequenceGap,
}
