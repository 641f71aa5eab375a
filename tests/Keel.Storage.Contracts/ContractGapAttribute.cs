namespace Keel.Storage.Contracts;

/// <summary>
/// Put on an enrolling class for each contract test its store cannot take part in (a method the
/// store has no way to offer, e.g. one never exposed over HTTP): that test is reported as skipped
/// with the reason instead of run. A gap is explicit, never a silently passing test.
/// </summary>
/// <param name="test">The contract test's method name.</param>
/// <param name="reason">Why the store cannot take part.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class ContractGapAttribute(string test, string reason) : Attribute
{
    /// <summary>The contract test's method name.</summary>
    public string Test { get; } = test;

    /// <summary>Why the store cannot take part.</summary>
    public string Reason { get; } = reason;
}
