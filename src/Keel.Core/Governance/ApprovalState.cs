namespace Keel.Core.Governance;

/// <summary>Where a request for approval is in its life (see <see cref="ApprovalTransitions"/>).</summary>
public enum ApprovalState
{
    /// <summary>Waiting for someone other than the requester to decide, until it expires.</summary>
    Requested,

    /// <summary>Approved; the change is being carried out (or, for a request of record, may now be made).</summary>
    Approved,

    /// <summary>Rejected by a reviewer. Final.</summary>
    Rejected,

    /// <summary>Nobody decided before it expired. Final.</summary>
    Expired,

    /// <summary>Approved and the change was carried out. Final.</summary>
    Applied,

    /// <summary>Approved, but the change could not be carried out any more (e.g. the version was deleted). Final.</summary>
    Failed,
}
