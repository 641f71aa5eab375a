using System.Text.Json;
using Keel.Cli.Commands.Doctor;
using Microsoft.Data.Sqlite;

namespace Keel.Cli.Tests.Doctor;

/// <summary>
/// <c>keel doctor</c>'s pieces in process: typos of variables named with the one meant, a database
/// behind or ahead of this build's schema, and the documented JSON shape.
/// </summary>
public sealed class DoctorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-doctor-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("KEEL_DATADIR", "KEEL_DATA_DIR")]
    [InlineData("KEEL_ONLINE_STOR", "KEEL_ONLINE_STORE")]
    [InlineData("KEEL_TRACKNG_URI", "KEEL_TRACKING_URI")]
    public void A_misspelt_variable_is_unknown_and_the_one_meant_is_suggested(string typo, string meant)
    {
        Assert.False(KnownVariables.IsKnown(typo));
        Assert.Equal(meant, KnownVariables.Suggest(typo));
    }

    [Fact]
    public void Variables_keel_reads_are_known_and_a_stranger_gets_no_suggestion()
    {
        Assert.True(KnownVariables.IsKnown("KEEL_DATA_DIR"));
        Assert.True(KnownVariables.IsKnown("KEEL_BACKEND_STORE_URI"));
        Assert.True(KnownVariables.IsKnown("KEEL_ADMIN_PASSWORD"));
        Assert.True(KnownVariables.IsKnown("KEEL_INPUT_TRAIN"));
        Assert.Null(KnownVariables.Suggest("KEEL_COMPLETELY_DIFFERENT_THING"));
    }

    [Fact]
    public async Task A_database_older_than_this_keel_warns_that_migrations_run_on_the_next_start()
    {
        var latest = await LatestSchemaVersionAsync();
        var dataDir = DataDirAtSchema(3);
        var result = await DataDirCheck.RunAsync(new DoctorSettings { DataDirOption = dataDir }, default);
        Assert.Equal(CheckStatus.Warn, result.Status);
        Assert.Contains($"schema v3 of v{latest}", result.Finding, StringComparison.Ordinal);
        Assert.Contains("next start", result.Finding, StringComparison.Ordinal);
        Assert.Contains("keel server --data-dir", result.Fix!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_newer_than_this_keel_fails_saying_keel_is_older()
    {
        var dataDir = DataDirAtSchema(9999);
        var result = await DataDirCheck.RunAsync(new DoctorSettings { DataDirOption = dataDir }, default);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Contains("this keel is older than the database", result.Finding, StringComparison.Ordinal);
        Assert.Contains("upgrade keel", result.Fix!, StringComparison.Ordinal);
        Assert.Equal(9999, result.Details["schema_version"]);
    }

    [Fact]
    public void The_json_report_has_the_documented_shape()
    {
        var json = DoctorReport.Json(
        [
            CheckResult.Ok("data-dir", "fine", new Dictionary<string, object?> { ["free_bytes"] = 5L, ["exists"] = true }),
            CheckResult.Fail("backend-store", "PostgreSQL at h:1/db is unreachable", "start it", new Dictionary<string, object?> { ["uri"] = null }),
            CheckResult.Skipped("server", "none"),
        ]);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        var checks = root.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["data-dir", "backend-store", "server"], checks.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["ok", "fail", "skipped"], checks.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, checks[0].GetProperty("fix").ValueKind);
        Assert.Equal("start it", checks[1].GetProperty("fix").GetString());
        Assert.Equal(5, checks[0].GetProperty("details").GetProperty("free_bytes").GetInt64());
        Assert.True(checks[0].GetProperty("details").GetProperty("exists").GetBoolean());
        Assert.Equal(JsonValueKind.Object, checks[2].GetProperty("details").ValueKind);
    }

    // keel.db as a keel that applied migrations up to `version` left it (only the version table matters to the check).
    private string DataDirAtSchema(int version)
    {
        var dataDir = Path.Combine(_dir, "v" + version);
        Directory.CreateDirectory(dataDir);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "keel.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL); INSERT INTO schema_version VALUES ({version}, 0);";
        command.ExecuteNonQuery();
        return dataDir;
    }

    private async Task<int> LatestSchemaVersionAsync()
    {
        var probe = await Keel.Hosting.KeelBackends.Registry.ProbeMetadataAsync(
            new Keel.Core.Backends.MetadataBackendSettings(Path.Combine(_dir, "absent.db"), "--test"), TimeSpan.FromSeconds(5));
        Assert.False(probe.Exists);
        return probe.LatestSchemaVersion;
    }
}
