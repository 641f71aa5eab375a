using Xunit;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test that needs the Redis server of <c>KEEL_TEST_REDIS</c>; skipped with the reason where there
/// is none, except on CI (<c>CI=true</c>), where .ci/run always starts one.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RedisFactAttribute : FactAttribute
{
    public const string Variable = "KEEL_TEST_REDIS";

    public RedisFactAttribute()
    {
        if (Uri is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{Variable} is not set: this test needs a Redis server (.ci/run starts one).";
        }
    }

    /// <summary>The test Redis, e.g. <c>redis://127.0.0.1:56390</c>, or null.</summary>
    public static string? Uri => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } uri ? uri : null;
}
