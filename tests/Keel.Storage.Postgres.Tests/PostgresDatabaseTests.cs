using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Npgsql;
using Xunit;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Opening, migrating, retrying and failing as a PostgreSQL backend must.</summary>
public sealed class PostgresDatabaseTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    [PostgresFact]
    public async Task Replicas_opening_at_once_migrate_the_schema_once()
    {
        var settings = TestPostgres.NewSchema();
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _databases.Open(settings))));

        using var store = new PostgresTrackingStore(opened[0]);
        Assert.Equal("Default", (await store.GetExperimentAsync("0")).Name);
        Assert.Equal(Schema.PostgresMigrations.All.Select(m => (long)m.Version), Column<int>(settings, "SELECT version FROM keel_schema_version ORDER BY version").Select(v => (long)v));
        Assert.Equal([1L], Column<long>(settings, "SELECT count(*) FROM experiments"));
    }

    [PostgresFact]
    public async Task Reopening_keeps_data_and_numbering()
    {
        var settings = TestPostgres.NewSchema();
        string runId;
        using (var store = new PostgresTrackingStore(_databases.Open(settings)))
        {
            var experiment = await store.CreateExperimentAsync("kept", null, []);
            runId = (await store.CreateRunAsync(new NewRun(experiment, "u", "r", 1, []))).Info.RunId;
            await store.LogBatchAsync(runId, [new Metric("m", double.NaN, 1, 0)], [new Param("p", "v")], []);
        }

        using var reopened = new PostgresTrackingStore(_databases.Open(settings));
        Assert.True(double.IsNaN(Assert.Single((await reopened.GetRunAsync(runId)).Data.Metrics).Value));
        Assert.Equal("2", await reopened.CreateExperimentAsync("next", null, []));
    }

    [PostgresFact]
    public async Task Endpoints_are_stored_in_their_storage_shape()
    {
        var settings = TestPostgres.NewSchema();
        using var store = new PostgresServingStore(_databases.Open(settings));
        await store.CreateEndpointAsync(new Endpoint("e", "dev", EndpointMode.Single, [new Route("models:/m/1", 100, RouteRole.Primary)],
            RolloutPolicy.Default, EndpointLimits.Default, null, null, [], 1, 1), "alice");

        var stored = Assert.Single(Column<string>(settings, "SELECT spec::text FROM serving_endpoints"));
        Assert.Contains("\"v\": 1", stored, StringComparison.Ordinal);
        Assert.Contains("\"mode\": \"single\"", stored, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Serialization_failures_and_deadlocks_are_retried_from_the_start()
    {
        var database = _databases.Open();
        var attempts = 0;

        var result = await database.WriteAsync(_ => ++attempts < 3
            ? throw new PostgresException("could not serialize access", "ERROR", "ERROR", attempts == 1 ? "40001" : "40P01")
            : Task.FromResult(attempts), CancellationToken.None);

        Assert.Equal(3, result);
    }

    [PostgresFact]
    public async Task A_conflict_that_never_clears_becomes_temporarily_unavailable()
    {
        var database = _databases.Open();

        var e = await Assert.ThrowsAsync<KeelException>(() => database.WriteAsync<int>(
            _ => throw new PostgresException("could not serialize access", "ERROR", "ERROR", "40001"), CancellationToken.None));

        Assert.Equal(ErrorCode.TemporarilyUnavailable, e.Code);
        Assert.Contains("retry", e.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_connection_killed_by_the_server_is_a_store_error_and_the_pool_recovers()
    {
        var settings = TestPostgres.NewSchema();
        settings.ApplicationName = "keel-kill-" + Guid.NewGuid().ToString("N")[..8];
        using var store = new PostgresTrackingStore(_databases.Open(settings));
        await store.GetExperimentAsync("0");

        Assert.NotEmpty(Column<bool>(settings, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{settings.ApplicationName}' AND pid <> pg_backend_pid()"));

        // The pooled connection is dead: the next call either notices before using it or fails as a store error, never as a driver exception.
        try
        {
            await store.GetExperimentAsync("0");
        }
        catch (KeelException e)
        {
            Assert.Equal(ErrorCode.TemporarilyUnavailable, e.Code);
        }

        Assert.Equal("Default", (await store.GetExperimentAsync("0")).Name);
    }

    [Fact]
    public void An_unreachable_server_fails_opening_with_a_clear_message()
    {
        var settings = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = 1, Username = "keel", Database = "keel", Timeout = 2 };

        var e = Assert.Throws<KeelException>(() => PostgresDatabase.Open(settings));

        Assert.Equal(ErrorCode.TemporarilyUnavailable, e.Code);
        Assert.Contains("PostgreSQL at 127.0.0.1:1/keel", e.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", e.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Each_way_of_writing_points_stores_a_repeated_batch_once_and_keeps_the_new_points()
    {
        foreach (var mode in Enum.GetValues<MetricWriteMode>())
        {
            var settings = TestPostgres.NewSchema();
            using var store = new PostgresTrackingStore(_databases.Open(settings)) { MetricWrites = mode };
            var experiment = await store.CreateExperimentAsync("modes", null, []);
            var runId = (await store.CreateRunAsync(new NewRun(experiment, "u", "r", 1, []))).Info.RunId;
            var first = Enumerable.Range(0, 300).Select(i => new Metric($"m{i % 3}", i, 1000 + i, i / 3)).ToArray();
            var overlapping = first.Skip(200).Concat(Enumerable.Range(300, 100).Select(i => new Metric($"m{i % 3}", i, 1000 + i, i / 3))).ToArray();

            await store.LogBatchAsync(runId, first, [], []);
            await store.LogBatchAsync(runId, first, [], []);
            await store.LogBatchAsync(runId, overlapping, [new Param("p", "v")], [new Tag("t", "x")]);

            Assert.Equal([400L], Column<long>(settings, "SELECT count(*) FROM metrics"));
            var run = await store.GetRunAsync(runId);
            var latest = run.Data.Metrics.Single(m => m.Key == "m0");
            Assert.Equal((399.0, 133L), (latest.Value, latest.Step));
            Assert.Equal(("v", "x"), (run.Data.Params.Single().Value, run.Data.Tags.Single(t => t.Key == "t").Value));
        }
    }

    [PostgresFact]
    public async Task Points_keep_their_own_key_whether_a_batch_names_few_keys_or_many()
    {
        // A batch of up to 32 distinct keys sends each key once and an index per point; more keys go
        // one per point. Both shapes, at and past the boundary, must store exactly the points sent.
        foreach (var mode in Enum.GetValues<MetricWriteMode>())
        {
            foreach (var keyCount in new[] { 1, 32, 33, 250 })
            {
                var settings = TestPostgres.NewSchema();
                using var store = new PostgresTrackingStore(_databases.Open(settings)) { MetricWrites = mode };
                var experiment = await store.CreateExperimentAsync("keys", null, []);
                var runId = (await store.CreateRunAsync(new NewRun(experiment, "u", "r", 1, []))).Info.RunId;
                // Keys interleaved and out of order, names of different lengths, so sorting and indexing both matter.
                var points = Enumerable.Range(0, 500)
                    .Select(i => new Metric($"k{(i * 7) % keyCount}{new string('x', i % keyCount % 3)}", i * 0.5, 2000 + i, i))
                    .ToArray();

                await store.LogBatchAsync(runId, points, [], []);

                var stored = Column<string>(settings, "SELECT key || ' ' || step || ' ' || timestamp || ' ' || value FROM metrics ORDER BY step");
                var expected = points.Select(p => $"{p.Key} {p.Step} {p.Timestamp} {p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}").ToList();
                Assert.True(expected.SequenceEqual(stored), $"{mode}, {keyCount} keys: stored points differ from the batch");
                Assert.Equal(points.Select(p => p.Key).Distinct().Count(), (await store.GetRunAsync(runId)).Data.Metrics.Count);
            }
        }
    }

    private static List<T> Column<T>(NpgsqlConnectionStringBuilder settings, string sql)
    {
        using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<T>();
        while (reader.Read())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
