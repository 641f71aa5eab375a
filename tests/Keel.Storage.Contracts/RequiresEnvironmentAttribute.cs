namespace Keel.Storage.Contracts;

/// <summary>
/// On a contract's test class: its <see cref="ContractFactAttribute"/> tests need a service named by
/// an environment variable (e.g. <c>KEEL_TEST_S3</c>) and are skipped, with <see cref="Reason"/>, when
/// it is unset, except under CI (<c>CI=true</c>), which always provides it: there they run and fail.
/// </summary>
public sealed class RequiresEnvironmentAttribute(string variable, string reason) : BackendRequirementAttribute
{
    public string Variable { get; } = variable;

    public string Reason { get; } = reason;

    /// <inheritdoc/>
    public override string? SkipReason => ReasonToSkip(Variable, Reason);

    /// <summary>Why a test needing <paramref name="variable"/> is skipped, or null when it can run (set, or under CI).</summary>
    public static string? ReasonToSkip(string variable, string reason)
    {
        var unset = string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable));
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        return unset && !ci ? $"{variable} is not set: {reason}" : null;
    }
}
