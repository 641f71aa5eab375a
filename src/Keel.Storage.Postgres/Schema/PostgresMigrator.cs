using Keel.Core.Artifacts;
using Npgsql;

namespace Keel.Storage.Postgres.Schema;

/// <summary>
/// Brings a database to the newest schema on open. Replicas may start at the same moment, so the
/// whole check-and-apply runs under a session advisory lock keyed by the schema: the first one
/// migrates, the others wait and then find nothing to do. Each script runs in its own transaction
/// with its version row, so a crash leaves the database at a whole version.
/// </summary>
internal static class PostgresMigrator
{
    public static void Migrate(NpgsqlConnection connection, string? schema, string defaultArtifactRoot, int upTo = int.MaxValue)
    {
        var lockKey = "keel/migrate/" + (schema ?? "(default)");
        Execute(connection, null, "SELECT pg_advisory_lock(hashtext($1))", lockKey);
        try
        {
            if (schema is not null)
            {
                Execute(connection, null, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"");
            }

            Execute(connection, null, "CREATE TABLE IF NOT EXISTS keel_schema_version (version integer PRIMARY KEY, applied_at bigint NOT NULL)");
            var current = CurrentVersion(connection);
            foreach (var (version, sql) in PostgresMigrations.All)
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

                Execute(connection, transaction, "INSERT INTO keel_schema_version (version, applied_at) VALUES ($1, $2)", version, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                transaction.Commit();
            }
        }
        finally
        {
            Execute(connection, null, "SELECT pg_advisory_unlock(hashtext($1))", lockKey);
        }
    }

    /// <summary>MLflow's experiment 0, which every tracking store starts with.</summary>
    public static void SeedDefaultExperiment(NpgsqlConnection connection, NpgsqlTransaction? transaction, string defaultArtifactRoot) =>
        Execute(connection, transaction, """
            INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (0, 'Default', $1, 'active', $2, $2)
            """, ArtifactUri.Parse(defaultArtifactRoot).Append("0"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public static int CurrentVersion(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM keel_schema_version", connection);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] values)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        command.ExecuteNonQuery();
    }
}
