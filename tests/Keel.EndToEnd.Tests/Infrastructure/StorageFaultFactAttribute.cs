using Xunit;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>A fact that needs <see cref="FileSystemFaults"/>; skipped, with the reason, where they cannot be produced.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageFaultFactAttribute : FactAttribute
{
    public StorageFaultFactAttribute()
    {
        if (FileSystemFaults.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
