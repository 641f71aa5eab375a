using DuckDB.NET.Data;
using Keel.Data.Tables;

namespace Keel.Data.Features;

/// <summary>
/// Settings every feature connection runs with: UTC for time arithmetic, and spill files in a
/// private folder under the system temp directory (DuckDB's default for an in-memory database is
/// <c>.tmp</c> in the working directory, which a join larger than memory would fill unseen).
/// </summary>
internal static class FeatureDuck
{
    /// <summary>Applies the settings and returns the spill folder, to pass to <see cref="Cleanup"/>.</summary>
    public static async Task<string> PrepareAsync(DuckDBConnection connection, CancellationToken ct)
    {
        var spill = Path.Combine(Path.GetTempPath(), "keel-duckdb-" + Guid.NewGuid().ToString("N"));
        await PointInTimeJoin.ExecAsync(connection, "SET TimeZone = 'UTC'", ct).ConfigureAwait(false);
        await PointInTimeJoin.ExecAsync(connection, $"SET temp_directory = {Sql.Str(spill)}", ct).ConfigureAwait(false);
        return spill;
    }

    /// <summary>Removes the spill folder (DuckDB creates it only when it spills).</summary>
    public static void Cleanup(string? spill)
    {
        if (spill is null || !Directory.Exists(spill))
        {
            return;
        }

        try
        {
            Directory.Delete(spill, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
