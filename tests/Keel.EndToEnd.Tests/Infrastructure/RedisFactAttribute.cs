using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test that needs the Redis server of <c>KEEL_TEST_REDIS</c>; skipped with the reason where there
/// is none, except on CI, where .ci/run always starts one.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RedisFactAttribute : FactAttribute
{
    public const string Variable = "KEEL_TEST_REDIS";

    public RedisFactAttribute()
    {
        Skip = RequiresEnvironmentAttribute.ReasonToSkip(Variable, "start Redis with `source .ci/services/redis.sh` (CI always does) to run the Redis tests");
    }

    /// <summary>The test Redis, e.g. <c>redis://127.0.0.1:56390</c>, or null.</summary>
    public static string? Uri => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } uri ? uri : null;
}
