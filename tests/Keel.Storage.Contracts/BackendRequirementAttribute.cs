namespace Keel.Storage.Contracts;

/// <summary>
/// Put on a class enrolling a backend that needs an external service (PostgreSQL, an S3 server):
/// when <see cref="SkipReason"/> is not null the class's contract tests are skipped with it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public abstract class BackendRequirementAttribute : Attribute
{
    /// <summary>Why the backend cannot be tested here, or null when it can.</summary>
    public abstract string? SkipReason { get; }
}
