using System.Diagnostics;
using System.Globalization;
using Keel.Core.Tracking;
using Keel.Storage.Postgres;
using Npgsql;

namespace Keel.Bench;

/// <summary>
/// The PostgreSQL tracking store alone, in this process (no HTTP, no JSON): log-batch of P points
/// from N concurrent writers for S seconds with each way of sending the points, to see what the
/// store and the database cost without the server in front. Usage:
///   dotnet bench/Keel.Bench/bin/Release/net10.0/Keel.Bench.dll pg-store --backend-store-uri postgresql://... [--seconds 5]
/// </summary>
internal static class PostgresStoreDriver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var uri = LoadDriver.Arg(args, "--backend-store-uri") ?? Environment.GetEnvironmentVariable("KEEL_TEST_POSTGRES");
        if (uri is null)
        {
            Console.Error.WriteLine("pg-store needs --backend-store-uri postgresql://... (or KEEL_TEST_POSTGRES)");
            return 2;
        }

        var seconds = int.Parse(LoadDriver.Arg(args, "--seconds") ?? "5", Inv);
        var writers = int.Parse(LoadDriver.Arg(args, "--clients") ?? "4", Inv);
        var points = int.Parse(LoadDriver.Arg(args, "--points") ?? "1000", Inv);
        Console.WriteLine($"# pg-store  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  {writers} writers x {points} points/batch  load avg {File.ReadAllText("/proc/loadavg")[..14]}");
        foreach (var mode in new[] { MetricWriteMode.Insert, MetricWriteMode.Copy, MetricWriteMode.Unnest, MetricWriteMode.Insert, MetricWriteMode.Copy, MetricWriteMode.Unnest })
        {
            var settings = PostgresUri.Parse(uri);
            settings.SearchPath = "keel_bench_" + Guid.NewGuid().ToString("N")[..12];
            try
            {
                await using var database = PostgresDatabase.Open(settings);
                using var store = new PostgresTrackingStore(database) { MetricWrites = mode };
                await MeasureAsync(store, mode, writers, points, TimeSpan.FromSeconds(seconds), settings.ConnectionString);
            }
            finally
            {
                await using var connection = new NpgsqlConnection(PostgresUri.Parse(uri).ConnectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{settings.SearchPath}\" CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }

        return 0;
    }

    private static async Task MeasureAsync(PostgresTrackingStore store, MetricWriteMode mode, int writers, int points, TimeSpan duration, string connectionString)
    {
        var experiment = await store.CreateExperimentAsync("ingest", null, []);
        var runs = new List<string>();
        for (var w = 0; w < writers; w++)
        {
            runs.Add((await store.CreateRunAsync(new NewRun(experiment, "bench", $"w{w}", 1700000000000, []))).Info.RunId);
        }

        int? postmaster;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
            postmaster = ProcessCpu.Parent((int)(await command.ExecuteScalarAsync())!);
        }

        // Warm-up (JIT, pool, prepared statements), then the measured phase.
        var next = new long[writers];
        await DriveAsync(store, runs, next, points, TimeSpan.FromSeconds(1));
        var databaseCpu = postmaster is { } p ? ProcessCpu.Of(p, withChildren: true) : TimeSpan.Zero;
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (elapsed, batches) = await DriveAsync(store, runs, next, points, duration);
        var databaseNote = postmaster is { } pm ? $", PostgreSQL CPU {(ProcessCpu.Of(pm, withChildren: true) - databaseCpu).TotalMilliseconds / batches:F2} ms/batch" : string.Empty;
        Console.WriteLine($"{mode,-7}: {batches * points / elapsed.TotalSeconds:N0} points/s ({batches / elapsed.TotalSeconds:N0} batches/s; "
            + $"store CPU {(Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalMilliseconds / batches:F2} ms/batch{databaseNote})");
    }

    private static async Task<(TimeSpan Elapsed, long Batches)> DriveAsync(PostgresTrackingStore store, List<string> runs, long[] next, int points, TimeSpan duration)
    {
        long batches = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(runs.Select((run, w) => Task.Run(async () =>
        {
            while (sw.Elapsed < duration)
            {
                var request = next[w]++;
                var metrics = new Metric[points];
                for (var k = 0; k < points; k++)
                {
                    metrics[k] = new Metric($"m{k % 10}", k * 0.001, 1700000000000, (request * (points / 10)) + (k / 10));
                }

                await store.LogBatchAsync(run, metrics, [], []);
                Interlocked.Increment(ref batches);
            }
        })));
        return (sw.Elapsed, batches);
    }
}
