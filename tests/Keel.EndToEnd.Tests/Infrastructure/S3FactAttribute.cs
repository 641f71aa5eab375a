using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>A fact that needs the test S3 server (<see cref="S3Location"/>); skipped, with the reason, when it is not configured.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        Skip = RequiresEnvironmentAttribute.ReasonToSkip(S3Location.Variable, S3Location.Reason);
    }
}
