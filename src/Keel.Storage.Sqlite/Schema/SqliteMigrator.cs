using Keel.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Schema;

/// <summary>
/// Brings a database to the newest schema on open: each pending script runs in its own transaction
/// together with its schema_version row (and any data conversion it needs), so a crash leaves the
/// database at a whole version.
/// </summary>
internal static class SqliteMigrator
{
    private const string VersionTable = "schema_version";

    /// <param name="upTo">Stop after this version; tests build databases as older Keel versions left them.</param>
    public static void Migrate(SqliteConnection connection, string defaultArtifactRoot, int upTo = int.MaxValue)
    {
        MigrationRunner.Execute(connection, null, SqliteDialect.Instance,
            $"CREATE TABLE IF NOT EXISTS {VersionTable} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
        MigrationRunner.ApplyPending(connection, SqliteDialect.Instance, VersionTable, Migrations.All, defaultArtifactRoot, upTo, (transaction, version) =>
        {
            if (Migrations.Conversions.TryGetValue(version, out var conversion))
            {
                conversion(connection, (SqliteTransaction)transaction);
            }
        });
    }

    public static int CurrentVersion(SqliteConnection connection) => MigrationRunner.CurrentVersion(connection, VersionTable);
}
