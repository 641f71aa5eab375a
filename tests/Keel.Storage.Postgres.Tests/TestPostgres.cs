using Npgsql;

namespace Keel.Storage.Postgres.Tests;

/// <summary>The test server (<c>KEEL_TEST_POSTGRES</c>, a postgresql:// URI) and fresh schemas on it.</summary>
internal static class TestPostgres
{
    public const string Variable = "KEEL_TEST_POSTGRES";

    public static string? Uri => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } uri ? uri : null;

    public static string? SkipReason =>
        Uri is not null || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{Variable} is not set: these tests need a PostgreSQL server (e.g. `. .ci/services/postgres.sh` as root, or {Variable}=postgresql://user:password@host:port/db).";

    /// <summary>Settings for a new, unique schema on the test server (created when a database opens on it).</summary>
    public static NpgsqlConnectionStringBuilder NewSchema()
    {
        var uri = Uri ?? throw new InvalidOperationException($"{Variable} is not set; .ci/run starts PostgreSQL and sets it.");
        var settings = PostgresUri.Parse(uri);
        settings.SearchPath = "keel_test_" + Guid.NewGuid().ToString("N")[..16];
        return settings;
    }

    public static void DropSchema(string schema)
    {
        var settings = PostgresUri.Parse(Uri!);
        settings.Pooling = false;
        using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }
}
