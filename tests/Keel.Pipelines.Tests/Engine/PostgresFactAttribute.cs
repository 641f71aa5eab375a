namespace Keel.Pipelines.Tests.Engine;

/// <summary>A test that needs the PostgreSQL server of <c>KEEL_TEST_POSTGRES</c>; skipped with the reason where there is none (run regardless on CI, where one is always started).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "KEEL_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        var set = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 };
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Skip = set || ci ? null : $"{Variable} is not set: this test needs a PostgreSQL server (e.g. {Variable}=postgresql://user:password@host:port/db).";
    }
}
