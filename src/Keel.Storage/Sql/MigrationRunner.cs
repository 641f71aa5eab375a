using System.Data.Common;
using System.Globalization;

namespace Keel.Storage.Sql;

/// <summary>
/// Applies a backend's numbered schema scripts: each pending one runs in its own transaction
/// together with its version row, so a crash leaves the database at a whole version. The first
/// script is followed by MLflow's experiment 0, which every tracking store starts with.
/// </summary>
internal static class MigrationRunner
{
    /// <param name="connection">An open connection with no transaction under way.</param>
    /// <param name="dialect">How the backend names and binds parameters.</param>
    /// <param name="versionTable">The table of applied versions (version, applied_at); it must exist.</param>
    /// <param name="scripts">Every script in version order.</param>
    /// <param name="defaultArtifactRoot">Where experiment 0's artifacts go.</param>
    /// <param name="upTo">Stop after this version; tests build databases as older Keel versions left them.</param>
    /// <param name="afterScript">Steps a version takes in code after its script, in the same transaction, or null.</param>
    public static void ApplyPending(
        DbConnection connection,
        SqlDialect dialect,
        string versionTable,
        IReadOnlyList<(int Version, string Sql)> scripts,
        string defaultArtifactRoot,
        int upTo,
        Action<DbTransaction, int>? afterScript = null)
    {
        var current = CurrentVersion(connection, versionTable);
        foreach (var (version, sql) in scripts)
        {
            if (version <= current || version > upTo)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, dialect, sql);
            if (version == 1)
            {
                SeedDefaultExperiment(connection, transaction, dialect, defaultArtifactRoot);
            }

            afterScript?.Invoke(transaction, version);
            Execute(connection, transaction, dialect,
                $"INSERT INTO {versionTable} (version, applied_at) VALUES ({dialect.Placeholder(0)}, {dialect.Placeholder(1)})",
                version, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            transaction.Commit();
        }
    }

    /// <summary>The newest applied version (0 for a new database).</summary>
    public static int CurrentVersion(DbConnection connection, string versionTable)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(version), 0) FROM {versionTable}";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>MLflow's experiment 0, which every tracking store starts with.</summary>
    public static void SeedDefaultExperiment(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, string defaultArtifactRoot) =>
        Execute(connection, transaction, dialect, $"""
            INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (0, 'Default', {dialect.Placeholder(0)}, 'active', {dialect.Placeholder(1)}, {dialect.Placeholder(1)})
            """, ArtifactPaths.ForExperiment(defaultArtifactRoot, "0"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public static void Execute(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, string sql, params object[] values)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            dialect.Bind(command, dialect.Placeholder(i), values[i]);
        }

        command.ExecuteNonQuery();
    }
}
