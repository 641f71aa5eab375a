using Xunit;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test that runs `keel server` on the PostgreSQL server of <c>KEEL_TEST_POSTGRES</c>. Skipped
/// with the reason where there is none, except on CI (<c>CI=true</c>), where .ci/run always starts
/// one, so a missing server fails loudly instead of passing as a skip.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresServerFactAttribute : FactAttribute
{
    public PostgresServerFactAttribute()
    {
        if (TestPostgresSchema.ServerUri is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{TestPostgresSchema.Variable} is not set: this test needs a PostgreSQL server (`. .ci/services/postgres.sh` as root starts one).";
        }
    }
}
