namespace Keel.Core.Governance;

/// <summary>
/// A change was not made because its environment requires approval: a request was stored instead
/// (HTTP 202 with the approval). Not an error: the change waits for another person's decision.
/// </summary>
public sealed class ApprovalRequiredException : Exception
{
    /// <summary>The change waits on <paramref name="approval"/>.</summary>
    /// <param name="approval">The stored request.</param>
    public ApprovalRequiredException(Approval approval)
        : base(Describe(approval)) => Approval = approval;

    /// <summary>Not used: the exception always carries its approval.</summary>
    public ApprovalRequiredException()
        : base("The change requires approval.") => Approval = null!;

    /// <summary>Not used: the exception always carries its approval.</summary>
    /// <param name="message">The message.</param>
    public ApprovalRequiredException(string message)
        : base(message) => Approval = null!;

    /// <summary>Not used: the exception always carries its approval.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ApprovalRequiredException(string message, Exception innerException)
        : base(message, innerException) => Approval = null!;

    /// <summary>The stored request.</summary>
    public Approval Approval { get; }

    /// <summary>The sentence a user is shown: what waits, and how to approve it.</summary>
    /// <param name="approval">The request.</param>
    public static string Describe(Approval approval) =>
        $"Environment '{approval.Environment}' requires approval: {approval.Action} on '{approval.Resource}' was not applied; approval {approval.Id} was requested. "
        + $"Someone other than {approval.Requester} may approve it with: keel approvals approve {approval.Id}";
}
