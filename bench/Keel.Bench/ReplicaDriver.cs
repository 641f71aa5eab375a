using System.Diagnostics;
using System.Globalization;
using System.Text;
using Keel.Client;
using Keel.ML.Repository;
using Keel.Storage.Postgres;
using Npgsql;

namespace Keel.Bench;

/// <summary>
/// Two `keel server` replicas on one PostgreSQL database (issue #9): how long a traffic change made
/// through replica A takes to be served by replica B (N changes, each timed from A's answer to B's
/// first response from the new version), and how long after a SIGKILL of the rollout controller's
/// lease holder the other replica holds the lease and acts. Usage:
///   dotnet run -c Release --project bench/Keel.Bench -- replicas --backend-store-uri postgresql://... [--changes N] [--keel-dll PATH]
/// </summary>
internal static class ReplicaDriver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var keelDll = LoadDriver.Arg(args, "--keel-dll") ?? Path.Combine(LoadDriver.RepoRoot(), "src/Keel.Cli/bin/Release/net10.0/keel.dll");
        var server = LoadDriver.Arg(args, "--backend-store-uri");
        var changes = int.Parse(LoadDriver.Arg(args, "--changes") ?? "100", Inv);
        if (server is null || !File.Exists(keelDll))
        {
            Console.Error.WriteLine("usage: replicas --backend-store-uri postgresql://... [--changes N] (build src/Keel.Cli in Release first)");
            return 2;
        }

        // A schema of its own, dropped at the end.
        var schema = "keel_bench_replicas_" + Guid.NewGuid().ToString("N")[..8];
        var uri = server + (server.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "search_path=" + schema;
        var work = Path.Combine(Path.GetTempPath(), "keel-replica-bench-" + Guid.NewGuid().ToString("N"));
        var modelDir = Path.Combine(work, "model");
        PredictDriver.TrainAndSave(modelDir);
        Console.WriteLine($"# Keel replica driver  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        string[] serverArgs = ["--backend-store-uri", uri, "--artifacts-destination", Path.Combine(work, "artifacts")];
        var a = await ServerUnderTest.StartAsync(keelDll, serverArgs);
        var b = await ServerUnderTest.StartAsync(keelDll, serverArgs);
        try
        {
            using var client = new KeelClient(a.BaseUri);
            var run = await client.StartRunAsync(await client.GetOrCreateExperimentAsync("replica-bench"), "model");
            var v1 = (await client.LogModelAsync(run.Info.RunId, modelDir, registeredModelName: "gbt")).Version!.Version;
            var v2 = (await client.LogModelAsync(run.Info.RunId, modelDir, artifactPath: "model2", registeredModelName: "gbt")).Version!.Version;
            await client.CreateEndpointAsync("rep", $"models:/gbt/{v1}");
            using var http = new HttpClient { BaseAddress = b.BaseUri };
            var body = Encoding.UTF8.GetBytes("{\"inputs\":[" + string.Join(',', Enumerable.Range(0, 10).Select(i =>
                $"{{\"name\":\"f{i}\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[{(0.1 * (i + 1)).ToString("R", Inv)}]}}")) + "]}");
            await WaitServedAsync(http, body, $"gbt/{v1}", TimeSpan.FromSeconds(30));

            var delays = new List<double>();
            for (var i = 0; i < changes; i++)
            {
                var target = i % 2 == 0 ? v2 : v1;
                await client.SetTrafficAsync("rep", Core.Serving.EndpointMode.BlueGreen, $"models:/gbt/{target}");
                var clock = Stopwatch.StartNew();
                await WaitServedAsync(http, body, $"gbt/{target}", TimeSpan.FromSeconds(30));
                delays.Add(clock.Elapsed.TotalMilliseconds);
            }

            delays.Sort();
            Console.WriteLine($"traffic change on A served by B, {changes} changes: p50 {Q(delays, 0.5):F1} ms, p99 {Q(delays, 0.99):F1} ms, max {delays[^1]:F1} ms");

            // Failover: a rollout that never finishes by itself, so the controller ticks on it.
            await client.StartRolloutAsync("rep", $"models:/gbt/{(delays.Count % 2 == 0 ? v2 : v1)}", hold: TimeSpan.FromHours(1));
            var leader = await WaitLeaderAsync(uri, null, TimeSpan.FromSeconds(30));
            var (victim, survivor) = leader.EndsWith("-" + a.ProcessId.ToString(Inv), StringComparison.Ordinal) ? (a, b) : (b, a);
            var killed = Stopwatch.StartNew();
            await victim.StopAsync();
            var next = await WaitLeaderAsync(uri, leader, TimeSpan.FromSeconds(60));
            Console.WriteLine($"leader failover: {leader} killed (SIGKILL), {next} holds the lease {killed.Elapsed.TotalSeconds:F2} s later (lease 5 s)");
            _ = survivor;
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            await DropAsync(server, schema);
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static double Q(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static async Task WaitServedAsync(HttpClient http, byte[] body, string version, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync(new Uri("/v2/models/rep/infer", UriKind.Relative), content);
            if (response.IsSuccessStatusCode && response.Headers.TryGetValues("x-keel-model-version", out var v) && v.First() == version)
            {
                return;
            }
        }

        throw new TimeoutException($"B did not serve {version} within {timeout}");
    }

    private static async Task<string> WaitLeaderAsync(string uri, string? other, TimeSpan timeout)
    {
        var settings = PostgresUri.Parse(uri);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            await using (var connection = new NpgsqlConnection(settings.ConnectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT holder FROM leases WHERE name = 'rollout-controller' AND expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint", connection);
                if (await command.ExecuteScalarAsync() is string holder && holder != other)
                {
                    return holder;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("no new rollout-controller leader");
    }

    private static async Task DropAsync(string server, string schema)
    {
        var settings = PostgresUri.Parse(server);
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
