using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Keel.Client;
using Keel.ML;
using Keel.ML.Repository;

namespace Keel.Bench;

/// <summary>
/// What authentication and authorization cost per request (issue 14: at most 5 %): two `keel
/// server` processes on the same machine, one with authentication off (loopback) and one with
/// `--auth`, driven in turn (ABBA per pair of rounds) with the same requests: single-row V2
/// inference on a 100-tree FastTree endpoint (a Bearer API token, a viewer role check) and MLflow
/// log-metric (HTTP Basic, then EDIT on the run's experiment). Reports requests/s and server CPU
/// per request for both and the overhead. Usage:
///   dotnet bench/Keel.Bench/bin/Release/net10.0/Keel.Bench.dll auth [--keel-dll PATH] [--seconds N] [--connections N] [--rounds N]
/// </summary>
internal static class AuthOverheadBench
{
    private const string Admin = "bench-admin";
    private const string Password = "bench-password-1";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var keelDll = Arg(args, "--keel-dll") ?? Path.Combine(AppContext.BaseDirectory, "../../../../../src/Keel.Cli/bin/Release/net10.0/keel.dll");
        var seconds = int.Parse(Arg(args, "--seconds") ?? "8", Inv);
        var connections = int.Parse(Arg(args, "--connections") ?? "16", Inv);
        var rounds = int.Parse(Arg(args, "--rounds") ?? "4", Inv);
        if (!File.Exists(keelDll))
        {
            Console.Error.WriteLine($"{keelDll} not found: run `dotnet build -c Release src/Keel.Cli` first.");
            return 2;
        }

        Console.WriteLine($"# Keel auth overhead  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  {connections} connections, {rounds} x {seconds} s per server and workload");
        var modelDir = Path.Combine(Path.GetTempPath(), "keel-auth-bench-" + Guid.NewGuid().ToString("N"));
        PredictDriver.TrainAndSave(modelDir);
        var inferBody = Encoding.UTF8.GetBytes("{\"inputs\":[" + string.Join(',', Enumerable.Range(0, 10).Select(i =>
            $"{{\"name\":\"f{i}\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[{(0.1 * (i + 1)).ToString("R", Inv)}]}}")) + "]}");

        await using var open = await ServerUnderTest.StartAsync(keelDll);
        await using var closed = await ServerUnderTest.StartAsync(keelDll, new Dictionary<string, string> { ["KEEL_ADMIN_USERNAME"] = Admin, ["KEEL_ADMIN_PASSWORD"] = Password }, "--auth");
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Admin + ":" + Password)));
        var servers = new List<Target>();
        foreach (var (name, server, on) in new[] { ("auth off", open, false), ("auth on", closed, true) })
        {
            using var client = new KeelClient(server.BaseUri, options: new KeelClientOptions { Credentials = on ? KeelCredentials.Basic(Admin, Password) : null, Anonymous = !on });
            var run = await client.StartRunAsync(await client.GetOrCreateExperimentAsync("auth-bench"), "model");
            var version = (await client.LogModelAsync(run.Info.RunId, modelDir, registeredModelName: "gbt")).Version!.Version;
            await client.CreateEndpointAsync("bench", $"models:/gbt/{version}", limits: new Core.Serving.EndpointLimits(MaxConcurrency: 4096));
            var token = on ? new AuthenticationHeaderValue("Bearer", (await client.Governance.CreateTokenAsync("bench")).Secret) : null;
            servers.Add(new Target(name, server, token, on ? basic : null, run.Info.RunId));
        }

        var workloads = new (string Name, Func<Target, int, HttpRequestMessage> Request)[]
        {
            ("V2 infer (token, viewer role)", (s, _) => Post(s.Server.BaseUri, "/v2/models/bench/infer", inferBody, s.Infer)),
            ("log-metric (basic, EDIT)", (s, i) => Post(s.Server.BaseUri, "/api/2.0/mlflow/runs/log-metric",
                Encoding.UTF8.GetBytes($"{{\"run_id\":\"{s.RunId}\",\"key\":\"m\",\"value\":{i % 1000},\"timestamp\":{1700000000000 + i},\"step\":{i}}}"), s.Track)),
        };
        foreach (var (workload, request) in workloads)
        {
            var figures = servers.ToDictionary(s => s.Name, _ => new List<(double Rps, double Cpu)>());
            foreach (var s in servers)
            {
                await DriveAsync(s, request, connections, 2); // warm-up: JIT, caches, the credential check
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var s in round % 2 == 0 ? servers : Enumerable.Reverse(servers).ToList())
                {
                    figures[s.Name].Add(await DriveAsync(s, request, connections, seconds));
                }
            }

            Console.WriteLine($"{workload}:");
            foreach (var (name, rs) in figures)
            {
                Console.WriteLine($"  {name,-8}: mean {rs.Average(r => r.Rps),8:N0} requests/s (rounds {string.Join(", ", rs.Select(r => r.Rps.ToString("N0", Inv)))}), server CPU {rs.Average(r => r.Cpu):F0} µs/request");
            }

            var throughput = 1 - (figures["auth on"].Average(r => r.Rps) / figures["auth off"].Average(r => r.Rps));
            var cpu = (figures["auth on"].Average(r => r.Cpu) / figures["auth off"].Average(r => r.Cpu)) - 1;
            Console.WriteLine($"  overhead: throughput {throughput:P1}, server CPU per request {cpu:P1} (target: at most 5 %)");
        }

        Directory.Delete(modelDir, recursive: true);
        return 0;
    }

    private static HttpRequestMessage Post(Uri server, string path, byte[] body, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = authorization;
        return request;
    }

    private static async Task<(double Rps, double CpuMicros)> DriveAsync(Target s, Func<Target, int, HttpRequestMessage> request, int connections, int seconds)
    {
        var server = s.Server;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections });
        var counter = 0;
        var errors = 0;
        var cpuBefore = server.CpuTime();
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (clock.Elapsed < until)
            {
                using var message = request(s, Interlocked.Increment(ref counter));
                using var response = await http.SendAsync(message).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = (server.CpuTime() - cpuBefore).TotalMilliseconds * 1000 / counter;
        if (errors > 0)
        {
            throw new InvalidOperationException($"{errors} of {counter} requests failed");
        }

        return (counter / elapsed, cpu);
    }

    private sealed record Target(string Name, ServerUnderTest Server, AuthenticationHeaderValue? Infer, AuthenticationHeaderValue? Track, string RunId);

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
