namespace Keel.Core.Governance;

/// <summary>
/// The transition table of approvals: a request is approved, rejected or expires; an approved
/// request is applied, or fails when its change cannot be carried out any more. Nothing else moves;
/// final states are never left.
/// </summary>
public static class ApprovalTransitions
{
    private static readonly Dictionary<ApprovalState, ApprovalState[]> Moves = new()
    {
        [ApprovalState.Requested] = [ApprovalState.Approved, ApprovalState.Rejected, ApprovalState.Expired],
        [ApprovalState.Approved] = [ApprovalState.Applied, ApprovalState.Failed],
        [ApprovalState.Rejected] = [],
        [ApprovalState.Expired] = [],
        [ApprovalState.Applied] = [],
        [ApprovalState.Failed] = [],
    };

    /// <summary>True when the table allows the move.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The state asked for.</param>
    public static bool IsAllowed(ApprovalState from, ApprovalState to) => Moves[from].Contains(to);

    /// <summary>True for the states never left.</summary>
    /// <param name="state">The state.</param>
    public static bool IsFinal(ApprovalState state) => Moves[state].Length == 0;

    /// <summary>The stored and wire name of a state.</summary>
    /// <param name="state">The state.</param>
    public static string Name(ApprovalState state) => state switch
    {
        ApprovalState.Requested => "requested",
        ApprovalState.Approved => "approved",
        ApprovalState.Rejected => "rejected",
        ApprovalState.Expired => "expired",
        ApprovalState.Applied => "applied",
        ApprovalState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not an approval state."),
    };

    /// <summary>The state of a stored or wire name; null when there is none of that name.</summary>
    /// <param name="name">The name.</param>
    public static ApprovalState? Parse(string? name) => name switch
    {
        "requested" => ApprovalState.Requested,
        "approved" => ApprovalState.Approved,
        "rejected" => ApprovalState.Rejected,
        "expired" => ApprovalState.Expired,
        "applied" => ApprovalState.Applied,
        "failed" => ApprovalState.Failed,
        _ => null,
    };
}
