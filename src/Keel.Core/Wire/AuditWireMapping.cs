using Keel.Core.Governance;

namespace Keel.Core.Wire;

/// <summary>The audit log's API shapes from and to its domain types.</summary>
public static class AuditWireMapping
{
    /// <summary>The API shape of an event.</summary>
    /// <param name="e">The event.</param>
    public static AuditEventDto ToDto(this AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new AuditEventDto
        {
            Sequence = e.Sequence,
            Timestamp = e.Timestamp,
            Actor = e.Actor,
            Action = e.Action,
            ResourceType = e.ResourceType,
            Resource = e.Resource,
            Environment = e.Environment,
            ApprovalId = e.ApprovalId,
            Before = e.Before,
            After = e.After,
            PreviousHash = AuditChain.Hex(e.PreviousHash),
            Hash = AuditChain.Hex(e.Hash),
        };
    }

    /// <summary>The domain event of an API event (hashes from hex).</summary>
    /// <param name="dto">The event as the API showed it.</param>
    public static AuditEvent ToDomain(this AuditEventDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        return new AuditEvent(
            dto.Sequence, dto.Timestamp, dto.Actor, dto.Action, dto.ResourceType, dto.Resource, dto.Environment, dto.ApprovalId, dto.Before, dto.After,
            Convert.FromHexString(dto.PreviousHash), Convert.FromHexString(dto.Hash));
    }

    /// <summary>The API shape of a verification.</summary>
    /// <param name="v">The verification.</param>
    public static AuditVerifyResponse ToDto(this AuditVerification v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new AuditVerifyResponse
        {
            Intact = v.Intact,
            Count = v.Count,
            HeadSequence = v.HeadSequence,
            HeadHash = v.HeadHash,
            BrokenSequence = v.BrokenSequence,
            Problem = v.Problem switch
            {
                AuditChainProblem.HashMismatch => "hash_mismatch",
                AuditChainProblem.PreviousHashMismatch => "previous_hash_mismatch",
                AuditChainProblem.SequenceGap => "sequence_gap",
                _ => null,
            },
            Detail = v.Detail,
        };
    }

    /// <summary>The domain verification of an API answer.</summary>
    /// <param name="r">The answer.</param>
    public static AuditVerification ToDomain(this AuditVerifyResponse r)
    {
        ArgumentNullException.ThrowIfNull(r);
        AuditChainProblem? problem = r.Problem switch
        {
            "hash_mismatch" => AuditChainProblem.HashMismatch,
            "previous_hash_mismatch" => AuditChainProblem.PreviousHashMismatch,
            "sequence_gap" => AuditChainProblem.SequenceGap,
            _ => null,
        };
        return new AuditVerification(r.Intact, r.Count, r.HeadSequence, r.HeadHash, r.BrokenSequence, problem, r.Detail);
    }
}
