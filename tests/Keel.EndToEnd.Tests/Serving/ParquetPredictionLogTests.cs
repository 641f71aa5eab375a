using System.Globalization;
using System.Net;
using DuckDB.NET.Data;
using Keel.Artifacts.S3;
using Keel.Core.Artifacts;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>
/// The prediction log as Parquet objects, end to end: replicas sharing a location each write their
/// own objects and one DuckDB query reads them all; a sink that fails never fails or delays a
/// request, and what it loses is counted; a bad location stops the server naming the option.
/// </summary>
public sealed class ParquetPredictionLogTests
{
    private const string Endpoint = "plog";

    [Fact]
    public async Task Two_replicas_log_to_parquet_and_one_duckdb_query_reads_exactly_their_requests()
    {
        var shared = TempDirs.Create("keel-plog-shared");
        try
        {
            string[] args = ["--artifacts-destination", shared, "--prediction-log", "mlflow-artifacts:"];
            var env = new Dictionary<string, string?> { ["KEEL_PREDICTION_LOG_FLUSH_RECORDS"] = "7" };
            await using var a = await KeelServerProcess.StartAsync(extraArgs: args, env: env);
            await using var b = await KeelServerProcess.StartAsync(extraArgs: args, env: env);

            var fromA = await ScoreAsync(a, "a", 20);
            // Every 7 records make an object while the server runs: 14 of A's are there before it stops.
            await Eventually.WaitUntilAsync(() => CountOrZero(shared, "request_id LIKE 'a-%'") >= 14, TimeSpan.FromSeconds(60), "A's first two objects");
            var fromB = await ScoreAsync(b, "b", 15);

            // A graceful stop writes what each server still holds.
            Assert.Equal(0, await a.TerminateAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(0, await b.TerminateAsync(TimeSpan.FromSeconds(60)));

            var ids = Query(shared, "request_id", $"endpoint = '{Endpoint}'").Cast<string>().ToList();
            Assert.Equal(fromA.Concat(fromB).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));

            // Each replica wrote objects of its own, named <replica>-<sequence>.parquet.
            var replicas = Query(shared, "DISTINCT regexp_extract(filename, '([^/]+)-[0-9]{16}\\.parquet$', 1)", "true").Cast<string>().ToList();
            Assert.Equal(2, replicas.Count);
            Assert.All(replicas, r => Assert.NotEmpty(r));
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            Assert.All(Query(shared, "DISTINCT strftime(date, '%Y-%m-%d')", "true").Cast<string>(), d => Assert.True(Math.Abs(DateOnly.Parse(d, CultureInfo.InvariantCulture).DayNumber - today.DayNumber) <= 1));
        }
        finally
        {
            TempDirs.TryDelete(shared);
        }
    }

    [S3Fact]
    public async Task A_server_logging_to_s3_writes_parquet_objects_that_one_query_reads()
    {
        var location = S3Location.New("plog-e2e");
        var copy = TempDirs.Create("keel-plog-s3-copy");
        try
        {
            var env = new Dictionary<string, string?> { ["KEEL_PREDICTION_LOG_REPLICA_ID"] = "replica-s3" };
            await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--prediction-log", location], env: env);
            var ids = await ScoreAsync(server, "s3", 12);
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(60)));

            // DuckDB here has no S3 extension (no network): the objects are copied down as they are.
            using var store = S3ArtifactStore.Open(location);
            var keys = await CopyTreeAsync(store, "predictions", copy);
            Assert.All(keys, k => Assert.Matches(@"^predictions/endpoint=plog/date=\d{4}-\d{2}-\d{2}/hour=\d{2}/replica-s3-\d{16}\.parquet$", k));
            Assert.Equal(ids, Query(copy, "request_id", $"endpoint = '{Endpoint}'").Cast<string>().Order(StringComparer.Ordinal));
        }
        finally
        {
            TempDirs.TryDelete(copy);
        }
    }

    [Fact]
    public async Task A_prediction_log_that_cannot_be_written_never_fails_a_request_and_its_losses_are_counted()
    {
        var env = new Dictionary<string, string?>
        {
            // An object store that refuses every connection, one record per write, the smallest queue.
            ["MLFLOW_S3_ENDPOINT_URL"] = $"http://127.0.0.1:{KeelServerProcess.FreePort()}",
            ["AWS_ACCESS_KEY_ID"] = "keel-test",
            ["AWS_SECRET_ACCESS_KEY"] = "keel-test-secret",
            ["KEEL_PREDICTION_LOG_FLUSH_RECORDS"] = "1",
            ["KEEL_PREDICTION_LOG_QUEUE"] = "1",
        };
        await using var server = await KeelServerProcess.StartAsync(extraArgs: ["--prediction-log", "s3://keel-nowhere/plog"], env: env);

        const int requests = 30;
        Assert.Equal(requests, (await ScoreAsync(server, "r", requests)).Count);

        // Every record is lost one way or the other: dropped by the full queue, or after its write failed twice.
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var metrics = string.Empty;
        await Eventually.WaitUntilAsync(
            () =>
            {
                metrics = http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
                return Metric(metrics, "keel_prediction_log_dropped_total") + Metric(metrics, "keel_prediction_log_write_dropped_total") == requests;
            },
            TimeSpan.FromSeconds(120),
            "every record to be counted as dropped");
        Assert.True(Metric(metrics, "keel_prediction_log_write_failures_total") >= 2, metrics);
        Assert.True(Metric(metrics, "keel_prediction_log_write_dropped_total") >= 1, metrics);
        Assert.Equal(0, Metric(metrics, "keel_prediction_log_written_total"));
    }

    [Fact]
    public async Task A_location_that_is_not_supported_stops_the_server_naming_the_option()
    {
        var dataDir = TempDirs.Create("keel-plog-bad");
        try
        {
            var (code, _, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", dataDir, "--prediction-log", "ftp://logs.example/keel"], timeout: TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, code);
            Assert.Contains("--prediction-log", stderr, StringComparison.Ordinal);
            Assert.Contains("s3://", stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    private static async Task<List<string>> ScoreAsync(KeelServerProcess server, string prefix, int count)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var api = new ServingApi(http);
        await api.CreateEndpointAsync(Endpoint, await api.RegisterLinearAsync("plog-model", [1f, 2f, 3f], 0f));
        await api.WaitForAsync(Endpoint, s => s["live"]?.AsArray().All(r => (bool?)r!["ready"] == true) == true, TimeSpan.FromSeconds(60));
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}-{i:D3}";
            var (status, _, _) = await api.InferAsync(Endpoint, i, 1, 1, new Dictionary<string, string> { ["x-request-id"] = id });
            Assert.Equal(HttpStatusCode.OK, status);
            ids.Add(id);
        }

        return ids;
    }

    private static async Task<List<string>> CopyTreeAsync(IArtifactStore store, string path, string root)
    {
        var keys = new List<string>();
        foreach (var entry in await store.ListAsync(path))
        {
            var child = path + "/" + entry.Path;
            if (entry.IsDir)
            {
                keys.AddRange(await CopyTreeAsync(store, child, root));
                continue;
            }

            var local = Path.Combine(root, child);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await using var source = await store.OpenReadAsync(child);
            await using var target = File.Create(local);
            await source.CopyToAsync(target);
            keys.Add(child);
        }

        return keys;
    }

    // One query over every object of every replica, as a user would read the log.
    private static List<object> Query(string root, string select, string where)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var glob = Path.Combine(root, "predictions", "*", "*", "*", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"SELECT {select} FROM read_parquet('{glob}', hive_partitioning = true, filename = true) WHERE {where}";
        using var reader = command.ExecuteReader();
        var values = new List<object>();
        while (reader.Read())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }

    // Before the first object is written DuckDB finds no file to read.
    private static long CountOrZero(string root, string where)
    {
        try
        {
            return Query(root, "count(*)", where) is [long n] ? n : 0;
        }
        catch (DuckDBException e) when (e.Message.Contains("No files found", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
    }

    private static double Metric(string exposition, string name) =>
        exposition.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(name.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();
}
