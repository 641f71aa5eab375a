namespace Keel.Core.Governance;

/// <summary>
/// The approval a change is being carried out under, for the flow of one asynchronous call: the
/// server sets it while it applies an approved request, so the gate lets the change through and the
/// audit entry of the change names the approval.
/// </summary>
public static class ApprovalScope
{
    private static readonly AsyncLocal<Approval?> CurrentApproval = new();

    /// <summary>The approval being carried out, or null.</summary>
    public static Approval? Current => CurrentApproval.Value;

    /// <summary>Carries out changes under <paramref name="approval"/> until the result is disposed.</summary>
    /// <param name="approval">The approved request.</param>
    public static IDisposable Enter(Approval approval)
    {
        var before = CurrentApproval.Value;
        CurrentApproval.Value = approval;
        return new Exit(before);
    }

    private sealed class Exit(Approval? before) : IDisposable
    {
        public void Dispose() => CurrentApproval.Value = before;
    }
}
