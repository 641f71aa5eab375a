using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Npgsql;

namespace Keel.Bench;

/// <summary>
/// log-batch ingest through a real `keel server` on a chosen metadata backend (issue 9): N clients,
/// each posting batches of P metric points to its own run for S seconds, after W seconds of warm-up;
/// prints acknowledged points/s and the CPU the server (and, for a local PostgreSQL, the database)
/// spent per request, then kills the server, counts the rows in the database and fails unless every acknowledged
/// point is stored. Usage:
///   dotnet bench/Keel.Bench/bin/Release/net10.0/Keel.Bench.dll ingest
///       [--backend-store-uri postgresql://user:pass@host:port/db] [--seconds 10] [--warmup 15] [--clients 4] [--points 1000]
/// Without --backend-store-uri the server uses its default SQLite database. On PostgreSQL the run
/// gets a fresh schema (search_path), dropped afterwards.
/// </summary>
internal static class IngestDriver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var keelDll = LoadDriver.Arg(args, "--keel-dll") ?? Path.Combine(LoadDriver.RepoRoot(), "src/Keel.Cli/bin/Release/net10.0/keel.dll");
        var seconds = int.Parse(LoadDriver.Arg(args, "--seconds") ?? "10", Inv);
        var clients = int.Parse(LoadDriver.Arg(args, "--clients") ?? "4", Inv);
        var bodies = new LogBatchBodies(int.Parse(LoadDriver.Arg(args, "--points") ?? "1000", Inv));
        var postgresUri = LoadDriver.Arg(args, "--backend-store-uri");
        var warmup = int.Parse(LoadDriver.Arg(args, "--warmup") ?? "15", Inv);
        if (!File.Exists(keelDll))
        {
            Console.Error.WriteLine($"{keelDll} not found: run `dotnet build -c Release src/Keel.Cli` first.");
            return 2;
        }

        var schema = "keel_bench_" + Guid.NewGuid().ToString("N")[..12];
        var serverArgs = postgresUri is null
            ? Array.Empty<string>()
            : ["--backend-store-uri", postgresUri + (postgresUri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "search_path=" + schema];
        var backend = postgresUri is null ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"# ingest  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  {backend}  {clients} clients x {bodies.Points} points/request  load avg {File.ReadAllText("/proc/loadavg")[..14]}");

        try
        {
            await using var server = await ServerUnderTest.StartAsync(keelDll, serverArgs);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server.BaseUri };
            var database = postgresUri is null ? null : await PostgresPidAsync(postgresUri);
            var exp = await LoadDriver.CreateExperimentAsync(http, "ingest");
            var runs = new List<string>();
            for (var c = 0; c < clients; c++)
            {
                runs.Add(await LoadDriver.CreateRunAsync(http, exp, $"ingest-{c}"));
            }

            // Each client keeps one request counter across both phases, so no two requests repeat a step.
            var next = new long[clients];
            // The warm-up lets tiered compilation finish (instrumented code costs several times the
            // optimized code, and on a busy machine the JIT's background thread gets little CPU).
            var warm = await DriveAsync(http, bodies, runs, next, TimeSpan.FromSeconds(warmup));
            var serverCpu = server.CpuTime();
            var databaseCpu = database is { } d ? ProcessCpu.Of(d, withChildren: true) : TimeSpan.Zero;
            var measured = await DriveAsync(http, bodies, runs, next, TimeSpan.FromSeconds(seconds));
            var perRequest = (server.CpuTime() - serverCpu).TotalMilliseconds / measured.Requests;
            var databaseNote = database is { } pid
                ? $", PostgreSQL CPU {(ProcessCpu.Of(pid, withChildren: true) - databaseCpu).TotalMilliseconds / measured.Requests:F2} ms/request"
                : string.Empty;
            Console.WriteLine($"log-batch ingest: {measured.Requests * bodies.Points / measured.Elapsed.TotalSeconds:N0} points/s "
                + $"({measured.Requests / measured.Elapsed.TotalSeconds:N0} requests/s over {measured.Elapsed.TotalSeconds:F1} s; "
                + $"server CPU {perRequest:F2} ms/request{databaseNote})");

            // The server is killed first: SQLite stays locked while it runs, and a kill proves the
            // acknowledged points were committed, not just buffered.
            await server.StopAsync();
            var acknowledged = (warm.Requests + measured.Requests) * bodies.Points;
            var (stored, latest) = postgresUri is null
                ? await StoredPoints.InSqliteAsync(Path.Combine(server.DataDir, "keel.db"), runs)
                : await StoredPoints.InPostgresAsync(Plain(postgresUri), schema, runs);
            var ok = stored == acknowledged && latest == 10L * clients;
            Console.WriteLine($"verified: {acknowledged:N0} points acknowledged, {stored:N0} rows stored, {latest} latest values ({(ok ? "all stored" : "MISMATCH")})");
            return ok ? 0 : 1;
        }
        finally
        {
            if (postgresUri is not null)
            {
                await DropSchemaAsync(postgresUri, schema);
            }
        }
    }

    private static async Task<(TimeSpan Elapsed, long Requests)> DriveAsync(HttpClient http, LogBatchBodies bodies, List<string> runs, long[] next, TimeSpan duration)
    {
        long requests = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(runs.Select((run, c) => Task.Run(async () =>
        {
            while (sw.Elapsed < duration)
            {
                using var content = new ReadOnlyMemoryContent(bodies.Build(run, next[c]++));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri("/api/2.0/mlflow/runs/log-batch", UriKind.Relative), content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"log-batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                Interlocked.Increment(ref requests);
            }
        })));
        return (sw.Elapsed, requests);
    }

    /// <summary>The postmaster's pid when the server runs on this machine (its backends are its children), else null.</summary>
    internal static async Task<int?> PostgresPidAsync(string uri)
    {
        await using var connection = new NpgsqlConnection(Plain(uri));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        var comm = $"/proc/{backend}/comm";
        return File.Exists(comm) && File.ReadAllText(comm).StartsWith("postgres", StringComparison.Ordinal) ? ProcessCpu.Parent(backend) : null;
    }

    internal static async Task DropSchemaAsync(string uri, string schema)
    {
        await using var connection = new NpgsqlConnection(Plain(uri));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Npgsql settings for the URI, parsed the way the server parses it, without pooling.</summary>
    internal static string Plain(string uri)
    {
        var settings = Keel.Storage.Postgres.PostgresUri.Parse(uri);
        settings.Pooling = false;
        return settings.ConnectionString;
    }
}
