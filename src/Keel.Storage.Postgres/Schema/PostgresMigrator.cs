using Keel.Storage.Sql;
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
    private const string VersionTable = "keel_schema_version";

    public static void Migrate(NpgsqlConnection connection, string? schema, string defaultArtifactRoot, int upTo = int.MaxValue)
    {
        var dialect = PostgresDialect.Instance;
        var lockKey = "keel/migrate/" + (schema ?? "(default)");
        MigrationRunner.Execute(connection, null, dialect, "SELECT pg_advisory_lock(hashtext($1))", lockKey);
        try
        {
            if (schema is not null)
            {
                MigrationRunner.Execute(connection, null, dialect, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"");
            }

            MigrationRunner.Execute(connection, null, dialect, $"CREATE TABLE IF NOT EXISTS {VersionTable} (version integer PRIMARY KEY, applied_at bigint NOT NULL)");
            MigrationRunner.ApplyPending(connection, dialect, VersionTable, PostgresMigrations.All, defaultArtifactRoot, upTo);
        }
        finally
        {
            MigrationRunner.Execute(connection, null, dialect, "SELECT pg_advisory_unlock(hashtext($1))", lockKey);
        }
    }

    /// <summary>MLflow's experiment 0, which every tracking store starts with.</summary>
    public static void SeedDefaultExperiment(NpgsqlConnection connection, NpgsqlTransaction? transaction, string defaultArtifactRoot) =>
        MigrationRunner.SeedDefaultExperiment(connection, transaction, PostgresDialect.Instance, defaultArtifactRoot);

    public static int CurrentVersion(NpgsqlConnection connection) => MigrationRunner.CurrentVersion(connection, VersionTable);
}
