using Microsoft.Data.Sqlite;
using Npgsql;

namespace Keel.Bench;

/// <summary>
/// Counts, straight from the database the server wrote, the metric rows and latest-value rows
/// stored for a set of runs: the ingest driver's proof that every acknowledged point is there.
/// </summary>
internal static class StoredPoints
{
    private const string PointsSql = "SELECT count(*) FROM metrics m JOIN runs r ON r.run_key = m.run_key WHERE r.run_id IN ({0})";
    private const string LatestSql = "SELECT count(*) FROM latest_metrics m JOIN runs r ON r.run_key = m.run_key WHERE r.run_id IN ({0})";

    public static async Task<(long Points, long Latest)> InPostgresAsync(string connectionString, string schema, IReadOnlyList<string> runIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var path = new NpgsqlCommand($"SET search_path TO \"{schema}\"", connection))
        {
            await path.ExecuteNonQueryAsync();
        }

        return (await CountAsync(connection, PointsSql, runIds), await CountAsync(connection, LatestSql, runIds));
    }

    public static async Task<(long Points, long Latest)> InSqliteAsync(string databaseFile, IReadOnlyList<string> runIds)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        return (await CountAsync(connection, PointsSql, runIds), await CountAsync(connection, LatestSql, runIds));
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, string sql, IReadOnlyList<string> runIds)
    {
        // Run ids are 32 hex digits the server generated; quoted inline so one statement serves both engines.
        if (runIds.Any(id => !id.All(char.IsAsciiHexDigit)))
        {
            throw new InvalidOperationException("unexpected run id");
        }

        await using var command = connection.CreateCommand();
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, string.Join(", ", runIds.Select(id => $"'{id}'")));
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
