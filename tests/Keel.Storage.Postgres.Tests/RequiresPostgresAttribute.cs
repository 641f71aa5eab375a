using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>
/// The class needs the PostgreSQL server named by <c>KEEL_TEST_POSTGRES</c>. Without it the tests
/// are skipped with the reason, so <c>dotnet test</c> works on a machine with no PostgreSQL; on CI
/// (<c>CI=true</c>) they run regardless and fail loudly, because .ci/run always starts one.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresPostgresAttribute : BackendRequirementAttribute
{
    public override string? SkipReason => TestPostgres.SkipReason;
}
