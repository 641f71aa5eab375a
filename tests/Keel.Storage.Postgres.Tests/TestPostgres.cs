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
        settings.SearchPath = $"{SchemaPrefix}{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..12]}";
        return settings;
    }

    /// <summary>Test schemas are named keel_test_PID_x, so a later run can tell which ones a finished process left behind.</summary>
    public const string SchemaPrefix = "keel_test_";

    public static void DropSchemas(IReadOnlyCollection<string> schemas)
    {
        if (schemas.Count == 0)
        {
            return;
        }

        var settings = PostgresUri.Parse(Uri!);
        settings.Pooling = false;
        using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {string.Join(", ", schemas.Select(s => $"\"{s}\""))} CASCADE", connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Schemas left by test processes that are no longer running (killed before their exit handler ran).</summary>
    public static List<string> OrphanedSchemas()
    {
        var settings = PostgresUri.Parse(Uri!);
        settings.Pooling = false;
        using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT nspname FROM pg_namespace WHERE nspname LIKE '{SchemaPrefix}%'", connection);
        using var reader = command.ExecuteReader();
        var orphaned = new List<string>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            var pid = name[SchemaPrefix.Length..].Split('_')[0];
            if (int.TryParse(pid, out var id) && !ProcessIsAlive(id))
            {
                orphaned.Add(name);
            }
        }

        return orphaned;
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
