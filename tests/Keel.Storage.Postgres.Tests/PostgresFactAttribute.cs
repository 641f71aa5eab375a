using Xunit;

namespace Keel.Storage.Postgres.Tests;

/// <summary>A test that needs the PostgreSQL server of <c>KEEL_TEST_POSTGRES</c>; skipped with the reason where there is none (see <see cref="RequiresPostgresAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = TestPostgres.SkipReason;
    }
}
