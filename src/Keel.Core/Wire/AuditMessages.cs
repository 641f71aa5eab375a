namespace Keel.Core.Wire;

/// <summary>One audit event as the API shows and exports it. Before and after are the exact JSON text that was hashed.</summary>
public sealed class AuditEventDto
{
    /// <summary>Position in the chain, from 1.</summary>
    public long Sequence { get; set; }

    /// <summary>When, Unix milliseconds.</summary>
    public long Timestamp { get; set; }

    /// <summary>Who.</summary>
    public string Actor { get; set; } = string.Empty;

    /// <summary>What, <c>area.verb</c>.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>The kind of resource.</summary>
    public string ResourceType { get; set; } = string.Empty;

    /// <summary>The resource.</summary>
    public string Resource { get; set; } = string.Empty;

    /// <summary>Its environment, when it has one.</summary>
    public string? Environment { get; set; }

    /// <summary>The approval the change carried out or decided.</summary>
    public long? ApprovalId { get; set; }

    /// <summary>The resource before, JSON text.</summary>
    public string? Before { get; set; }

    /// <summary>The resource after, JSON text.</summary>
    public string? After { get; set; }

    /// <summary>The preceding event's hash, lower-case hex.</summary>
    public string PreviousHash { get; set; } = string.Empty;

    /// <summary>This event's hash, lower-case hex.</summary>
    public string Hash { get; set; } = string.Empty;
}

/// <summary>Answer of <c>GET /api/2.0/keel/audit/events</c>.</summary>
public sealed class AuditEventsResponse
{
    /// <summary>The events, in the order asked for.</summary>
    public List<AuditEventDto> Events { get; set; } = [];

    /// <summary>Pass as <c>after_sequence</c> (with the same order) for the next page; absent on the last page.</summary>
    public long? NextAfterSequence { get; set; }
}

/// <summary>Answer of <c>GET /api/2.0/keel/audit/verify</c>.</summary>
public sealed class AuditVerifyResponse
{
    /// <summary>True when every hash recomputes and no sequence is missing.</summary>
    public bool Intact { get; set; }

    /// <summary>Events checked.</summary>
    public long Count { get; set; }

    /// <summary>The last intact event's sequence.</summary>
    public long HeadSequence { get; set; }

    /// <summary>The last intact event's hash (hex): keep it, and a later verify proves nothing before it changed.</summary>
    public string HeadHash { get; set; } = string.Empty;

    /// <summary>The first broken link's sequence.</summary>
    public long? BrokenSequence { get; set; }

    /// <summary>hash_mismatch, previous_hash_mismatch or sequence_gap.</summary>
    public string? Problem { get; set; }

    /// <summary>A sentence naming the broken link.</summary>
    public string? Detail { get; set; }
}

/// <summary>Answer of <c>GET /api/2.0/keel/audit/at</c>: which versions served an endpoint at a moment, and who changed and approved that.</summary>
public sealed class AuditAtResponse
{
    /// <summary>The endpoint.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The moment asked about, Unix milliseconds.</summary>
    public long Time { get; set; }

    /// <summary>The split in force then (empty when the endpoint had been deleted).</summary>
    public List<AuditTrafficDto> Traffic { get; set; } = [];

    /// <summary>Who made the change in force then.</summary>
    public string ChangedBy { get; set; } = string.Empty;

    /// <summary>When, Unix milliseconds.</summary>
    public long ChangedAt { get; set; }

    /// <summary>What the change was.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>The audit event of that change.</summary>
    public long EventSequence { get; set; }

    /// <summary>The approval it was made under, or null.</summary>
    public AuditApprovalDto? Approval { get; set; }
}

/// <summary>One route of a split.</summary>
public sealed class AuditTrafficDto
{
    /// <summary>The registered model (or the model URI when it names no registered version).</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Its version, when the URI names one.</summary>
    public string? Version { get; set; }

    /// <summary>Share of requests answered, percent.</summary>
    public int Percent { get; set; }

    /// <summary>primary, challenger, shadow or standby.</summary>
    public string? Role { get; set; }
}

/// <summary>Who approved a change.</summary>
public sealed class AuditApprovalDto
{
    /// <summary>The approval.</summary>
    public long Id { get; set; }

    /// <summary>Who approved it (from its <c>approval.approve</c> event), or null when no such event is recorded.</summary>
    public string? ApprovedBy { get; set; }

    /// <summary>When, Unix milliseconds.</summary>
    public long? ApprovedAt { get; set; }
}
