namespace Keel.Application.Governance;

/// <summary>How a server handles approvals.</summary>
public sealed class ApprovalOptions
{
    /// <summary>How often the replica holding the <c>approval-sweep</c> lease expires requests past their expiry (default one minute; reads expire them too).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock requests are dated and expired by; the system's when null (tests put a fake here).</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>How often a pipeline step waiting on an approval looks at it again (default five seconds).</summary>
    public TimeSpan WaitPoll { get; init; } = TimeSpan.FromSeconds(5);
}
