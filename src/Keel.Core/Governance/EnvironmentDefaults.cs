namespace Keel.Core.Governance;

/// <summary>The environments and policies that hold when nothing is stored.</summary>
public static class EnvironmentDefaults
{
    /// <summary>The environment of a resource that is not assigned to one.</summary>
    public const string Default = "dev";

    /// <summary>How long a request waits for a decision unless its environment says otherwise: 24 hours.</summary>
    public const long ApprovalTtlSeconds = 24 * 3600;

    /// <summary>dev and staging without approval; prod requires approval; each with the default TTL.</summary>
    public static readonly IReadOnlyList<EnvironmentPolicy> Policies =
    [
        new("dev", false, ApprovalTtlSeconds),
        new("staging", false, ApprovalTtlSeconds),
        new("prod", true, ApprovalTtlSeconds),
    ];

    /// <summary>The policy of an environment nothing is stored for: its default, or no approval for one not named above.</summary>
    /// <param name="environment">The environment.</param>
    public static EnvironmentPolicy PolicyOf(string environment) =>
        Policies.FirstOrDefault(p => p.Name == environment) ?? new EnvironmentPolicy(environment, false, ApprovalTtlSeconds);
}
