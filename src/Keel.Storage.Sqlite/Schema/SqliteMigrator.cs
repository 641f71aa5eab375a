using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Schema;

/// <summary>
/// Brings a database to the newest schema on open: each pending script runs in its own transaction
/// together with its schema_version row, so a crash leaves the database at a whole version.
/// </summary>
internal static class SqliteMigrator
{
    /// <param name="upTo">Stop after this version; tests build databases as older Keel versions left them.</param>
    public static void Migrate(SqliteConnection connection, string defaultArtifactRoot, int upTo = int.MaxValue)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
        var current = CurrentVersion(connection);
        foreach (var (version, sql) in Migrations.All)
        {
            if (version <= current || version > upTo)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, sql);
            if (version == 1)
            {
                SeedDefaultExperiment(connection, transaction, defaultArtifactRoot);
            }

            if (Migrations.Conversions.TryGetValue(version, out var conversion))
            {
                conversion(connection, transaction);
            }

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($v, $t)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void SeedDefaultExperiment(SqliteConnection connection, SqliteTransaction transaction, string root)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (0, 'Default', $location, 'active', $now, $now)
            """;
        command.Parameters.AddWithValue("$location", ArtifactPaths.ForExperiment(root, "0"));
        command.Parameters.AddWithValue("$now", now);
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
