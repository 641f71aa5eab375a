using Keel.Core.Tracking;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Storage.Sqlite.Tests;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Reopening_keeps_data_and_does_not_reapply_migrations()
    {
        var path = _database.NewPath();
        string runId;
        using (var store = new SqliteTrackingStore(path))
        {
            var experiment = await store.CreateExperimentAsync("kept", null, []);
            runId = (await store.CreateRunAsync(new NewRun(experiment, "u", "r", 1, []))).Info.RunId;
            await store.LogBatchAsync(runId, [new Metric("m", double.NaN, 1, 0)], [new Param("p", "v")], []);
        }

        using (var reopened = new SqliteTrackingStore(path))
        {
            var run = await reopened.GetRunAsync(runId);
            Assert.Equal("r", run.Info.RunName);
            Assert.True(double.IsNaN(Assert.Single(run.Data.Metrics).Value));
            Assert.Equal("kept", (await reopened.GetExperimentAsync("1")).Name);
            Assert.Equal("2", await reopened.CreateExperimentAsync("next", null, []));
        }

        Assert.Equal([1L, 2L, 3L], ReadVersions(path));
    }

    [Fact]
    public void Schema_version_and_pragmas_are_recorded()
    {
        var path = _database.NewPath();
        using (new SqliteTrackingStore(path))
        {
        }

        Assert.Equal([1L, 2L, 3L], ReadVersions(path));
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Default_artifact_root_shapes_locations()
    {
        using var store = new SqliteTrackingStore(_database.NewPath(), "file:///data/artifacts/");
        var id = await store.CreateExperimentAsync("e", null, []);
        var run = await store.CreateRunAsync(new NewRun(id, "", "", 1, []));

        Assert.Equal("file:///data/artifacts/0", (await store.GetExperimentAsync("0")).ArtifactLocation);
        Assert.Equal($"file:///data/artifacts/1/{run.Info.RunId}/artifacts", run.Info.ArtifactUri);
        Assert.Equal("", run.Info.UserId);
    }

    private static List<long> ReadVersions(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<long>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions;
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
