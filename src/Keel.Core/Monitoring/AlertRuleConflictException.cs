using Keel.Core.Errors;

namespace Keel.Core.Monitoring;

/// <summary>
/// RESOURCE_CONFLICT (HTTP 409): an alert rule changed since the version a change was made from (or
/// exists when the change expected a new one). It carries the rule as stored now, or null when the
/// change expected a version and the rule is gone.
/// </summary>
public sealed class AlertRuleConflictException : KeelException
{
    /// <summary>A conflict with <paramref name="current"/>.</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="current">The rule as stored now, or null.</param>
    /// <param name="expectedVersion">The version the change was made from (0: new).</param>
    public AlertRuleConflictException(string name, AlertRule? current, long expectedVersion)
        : base(ErrorCode.ResourceConflict, Describe(name, current, expectedVersion))
    {
        RuleName = name;
        Current = current;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>Not used: a conflict always names the rule.</summary>
    public AlertRuleConflictException()
        : base(ErrorCode.ResourceConflict, "Alert rule changed.")
    {
    }

    /// <summary>Not used: a conflict always names the rule.</summary>
    /// <param name="message">The message.</param>
    public AlertRuleConflictException(string message)
        : base(ErrorCode.ResourceConflict, message)
    {
    }

    /// <summary>Not used: a conflict always names the rule.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AlertRuleConflictException(string message, Exception innerException)
        : base(ErrorCode.ResourceConflict, message, innerException)
    {
    }

    /// <summary>The rule's name.</summary>
    public string? RuleName { get; }

    /// <summary>The rule as stored now, or null when there is none.</summary>
    public AlertRule? Current { get; }

    /// <summary>The version the change was made from.</summary>
    public long ExpectedVersion { get; }

    private static string Describe(string name, AlertRule? current, long expected) =>
        current is null ? $"Alert rule '{name}' does not exist any more: the change was made from version {expected}."
        : expected == 0 ? $"Alert rule '{name}' already exists (version {current.Version}): read it and update it with expected_version."
        : $"Alert rule '{name}' changed: the change was made from version {expected}, but it is at version {current.Version}. Read it again and retry.";
}
