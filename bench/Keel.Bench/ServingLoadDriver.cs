using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Keel.Client;
using Keel.ML;
using Keel.ML.Data;
using Keel.ML.Repository;

namespace Keel.Bench;

/// <summary>
/// Serving figures (issue #5): in-process single-row prediction latency of a 100-tree FastTree
/// model, then single-row V2 inference over HTTP with N connections against keel server (one
/// route; then a 90/10 canary with the prediction log on) and against a bare ASP.NET Core echo of
/// the same JSON, measured in the same run. Client, servers and anything else on the machine share
/// the cores, so server CPU per request is printed too. With --backend-store-uri postgresql://...
/// the server keeps its metadata in PostgreSQL (a fresh schema, dropped afterwards). With
/// --compare-backends as well, it starts one server on SQLite and one on PostgreSQL, gives both the
/// same endpoint, and drives the single-route load at them in turn, SQLite-PostgreSQL then
/// PostgreSQL-SQLite for each pair of rounds, so machine noise falls on both alike. Usage:
///   dotnet run -c Release --project bench/Keel.Bench -- serve-load [--keel-dll PATH] [--seconds N] [--connections N]
///       [--backend-store-uri postgresql://user@host:port/db [--compare-backends [--rounds N]]]
/// </summary>
internal static class ServingLoadDriver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var keelDll = Arg(args, "--keel-dll") ?? Path.Combine(RepoRoot(), "src/Keel.Cli/bin/Release/net10.0/keel.dll");
        var seconds = int.Parse(Arg(args, "--seconds") ?? "10", Inv);
        var connections = int.Parse(Arg(args, "--connections") ?? "32", Inv);
        if (!File.Exists(keelDll))
        {
            Console.Error.WriteLine($"{keelDll} not found: run `dotnet build -c Release src/Keel.Cli` first.");
            return 2;
        }

        var postgresUri = Arg(args, "--backend-store-uri");
        var compare = args.Contains("--compare-backends");
        if (compare && postgresUri is null)
        {
            Console.Error.WriteLine("--compare-backends needs --backend-store-uri postgresql://...");
            return 2;
        }

        Console.WriteLine($"# Keel serving load driver  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {LoadAverage()}"
            + $"  metadata: {(compare ? "SQLite vs PostgreSQL" : postgresUri is null ? "SQLite" : "PostgreSQL")}");
        var work = Path.Combine(Path.GetTempPath(), "keel-serve-bench-" + Guid.NewGuid().ToString("N"));
        var modelDir = Path.Combine(work, "model");
        PredictDriver.TrainAndSave(modelDir);

        var body = Encoding.UTF8.GetBytes("{\"inputs\":[" + string.Join(',', Enumerable.Range(0, 10).Select(i =>
            $"{{\"name\":\"f{i}\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[{(0.1 * (i + 1)).ToString("R", Inv)}]}}")) + "]}");

        var schema = "keel_bench_" + Guid.NewGuid().ToString("N")[..12];
        string[] postgresArgs = postgresUri is null
            ? []
            : ["--backend-store-uri", postgresUri + (postgresUri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "search_path=" + schema];
        try
        {
            if (compare)
            {
                await CompareBackendsAsync(keelDll, postgresUri!, postgresArgs, modelDir, body, connections, seconds, int.Parse(Arg(args, "--rounds") ?? "6", Inv));
            }
            else
            {
                InProcess(modelDir);
                await RunOneAsync(keelDll, postgresArgs, modelDir, body, connections, seconds);
            }
        }
        finally
        {
            if (postgresUri is not null)
            {
                await IngestDriver.DropSchemaAsync(postgresUri, schema);
            }
        }

        Directory.Delete(work, recursive: true);
        return 0;
    }

    /// <summary>
    /// Serving throughput per replica by metadata backend: one server on SQLite and one on
    /// PostgreSQL, both up for the whole run, driven in turn (ABBA order per pair of rounds), each
    /// phase after its own 2 s warm-up. Serving must not touch the metadata store per request, so the
    /// PostgreSQL CPU spent during each phase is printed too.
    /// </summary>
    private static async Task CompareBackendsAsync(string keelDll, string postgresUri, string[] postgresArgs, string modelDir, byte[] body, int connections, int seconds, int rounds)
    {
        await using var sqlite = await ServerUnderTest.StartAsync(keelDll);
        await using var postgres = await ServerUnderTest.StartAsync(keelDll, postgresArgs);
        var backends = new[] { ("SQLite", sqlite), ("PostgreSQL", postgres) };
        var databasePid = await IngestDriver.PostgresPidAsync(postgresUri);
        Func<TimeSpan>? databaseCpu = databasePid is { } pid ? () => ProcessCpu.Of(pid, withChildren: true) : null;
        foreach (var (_, server) in backends)
        {
            await CreateEndpointAsync(server, modelDir);
            // Untimed round so tiered JIT and PGO have settled before the figures are taken.
            await DriveAsync(server.BaseUri, body, connections, 5, server.CpuTime);
        }

        var results = backends.ToDictionary(b => b.Item1, _ => new List<Result>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, server) in round % 2 == 0 ? backends : backends.Reverse().ToArray())
            {
                var load = LoadAverage();
                var r = await DriveAsync(server.BaseUri, body, connections, seconds, server.CpuTime, databaseCpu);
                results[name].Add(r);
                Console.WriteLine($"round {round + 1} {name,-10}: {r.Rps,8:N0} requests/s, p50 {r.P50Ms:F2} ms, p99 {r.P99Ms:F2} ms, server CPU {r.CpuMicrosPerRequest:F0} µs/request, "
                    + $"PostgreSQL CPU {(r.StoreCpuMicrosPerRequest is { } db ? db.ToString("F1", Inv) : "?")} µs/request, {r.Errors} errors  (load avg {load})");
            }
        }

        Console.WriteLine($"V2 infer, single route, {connections} connections, {rounds} x {seconds} s per backend, interleaved:");
        foreach (var (name, _) in backends)
        {
            var rs = results[name];
            Console.WriteLine($"  {name,-10}: mean {rs.Average(r => r.Rps):N0} requests/s (rounds: {string.Join(", ", rs.Select(r => r.Rps.ToString("N0", Inv)))}), "
                + $"server CPU {rs.Average(r => r.CpuMicrosPerRequest):F0} µs/request, p99 {rs.Average(r => r.P99Ms):F2} ms");
        }

        var ratio = results["PostgreSQL"].Average(r => r.Rps) / results["SQLite"].Average(r => r.Rps);
        var cpuRatio = results["PostgreSQL"].Average(r => r.CpuMicrosPerRequest) / results["SQLite"].Average(r => r.CpuMicrosPerRequest);
        Console.WriteLine($"  PostgreSQL / SQLite throughput: {ratio:P1} (target: within 5 %, i.e. >= 95 %); server CPU per request PostgreSQL / SQLite: {cpuRatio:P1}");
    }

    private static async Task CreateEndpointAsync(ServerUnderTest server, string modelDir)
    {
        using var client = new KeelClient(server.BaseUri);
        var run = await client.StartRunAsync(await client.GetOrCreateExperimentAsync("serve-bench"), "model");
        var v1 = (await client.LogModelAsync(run.Info.RunId, modelDir, registeredModelName: "gbt")).Version;
        await client.CreateEndpointAsync("bench", $"models:/gbt/{v1!.Version}", limits: new Core.Serving.EndpointLimits(MaxConcurrency: 4096));
    }

    private static async Task RunOneAsync(string keelDll, string[] serverArgs, string modelDir, byte[] body, int connections, int seconds)
    {
        await using (var server = await ServerUnderTest.StartAsync(keelDll, serverArgs))
        {
            using var client = new KeelClient(server.BaseUri);
            var run = await client.StartRunAsync(await client.GetOrCreateExperimentAsync("serve-bench"), "model");
            var v1 = (await client.LogModelAsync(run.Info.RunId, modelDir, registeredModelName: "gbt")).Version;
            var v2 = (await client.LogModelAsync(run.Info.RunId, modelDir, artifactPath: "model2", registeredModelName: "gbt")).Version;
            await client.CreateEndpointAsync("bench", $"models:/gbt/{v1!.Version}", limits: new Core.Serving.EndpointLimits(MaxConcurrency: 4096));

            // Untimed round so tiered JIT and PGO have settled before the figures are taken.
            await DriveAsync(server.BaseUri, body, connections, 5, server.CpuTime);
            var single = await DriveAsync(server.BaseUri, body, connections, seconds, server.CpuTime);
            Report("keel V2 infer, single route (same log setting)", single);
            await client.SetTrafficAsync("bench", Core.Serving.EndpointMode.Canary, $"models:/gbt/{v2!.Version}", 10);
            var canary = await DriveAsync(server.BaseUri, body, connections, seconds, server.CpuTime);
            var rate = Keel.Core.Configuration.KeelEnvironment.Text(Keel.Core.Configuration.KeelEnvironment.PredictionLogSampleRate) ?? "1";
            Report($"keel V2 infer, 90/10 canary, prediction log sample rate {rate}", canary);
            Console.WriteLine($"  canary / single throughput: {canary.Rps / single.Rps:P0}");

            var echo = await RunEchoAsync(body, connections, seconds);
            Report("bare ASP.NET Core echo of the same JSON", echo);
            Console.WriteLine($"  keel single / echo throughput: {single.Rps / echo.Rps:F2}");
            Console.WriteLine($"  server RSS after load: {server.RssBytes() / 1024.0 / 1024.0:F0} MiB");
        }
    }

    private static void InProcess(string modelDir)
    {
        using var model = ModelLoader.Load(modelDir);
        var batch = new ColumnBatch(Enumerable.Range(0, 10).Select(i => BatchColumn.Of($"f{i}", new[] { (float)(0.1 * (i + 1)) })));
        for (var i = 0; i < 50_000; i++)
        {
            model.Predict(batch);
        }

        var n = 200_000;
        var times = new double[n];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            var t = Stopwatch.GetTimestamp();
            model.Predict(batch);
            times[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Array.Sort(times);
        Console.WriteLine($"in-process single-row predict, 100-tree FastTree: p50 {times[n / 2]:F2} µs, p99 {times[(int)(n * 0.99)]:F2} µs, {allocated / n} B allocated/call");
    }

    private static async Task<Result> RunEchoAsync(byte[] body, int connections, int seconds)
    {
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }

        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(EchoServer).Assembly.Location);
        psi.ArgumentList.Add("echo-server");
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add(port.ToString(Inv));
        using var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var uri = new Uri($"http://127.0.0.1:{port}");
        using (var http = new HttpClient())
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    await http.GetStringAsync(new Uri(uri, "/health"));
                    break;
                }
                catch (HttpRequestException) when (i < 400)
                {
                    await Task.Delay(25);
                }
            }
        }

        try
        {
            return await DriveAsync(uri, body, connections, seconds, () => Cpu(process.Id));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static async Task<Result> DriveAsync(Uri baseUri, byte[] body, int connections, int seconds, Func<TimeSpan> serverCpu, Func<TimeSpan>? storeCpu = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false }) { BaseAddress = baseUri };
        var path = new Uri("/v2/models/bench/infer", UriKind.Relative);
        var warmUntil = DateTime.UtcNow.AddSeconds(2);
        var measuring = false;
        var stopAt = DateTime.MaxValue;
        var latencies = Enumerable.Range(0, connections).Select(_ => new List<double>(1 << 16)).ToArray();
        long errors = 0;
        var cpuStart = TimeSpan.Zero;
        var sw = new Stopwatch();
        var loops = Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            while (true)
            {
                var now = DateTime.UtcNow;
                if (now >= stopAt)
                {
                    return;
                }

                var t = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(path, content);
                await response.Content.LoadIntoBufferAsync();
                if (Volatile.Read(ref measuring))
                {
                    latencies[c].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        })).ToArray();
        await Task.Delay(warmUntil - DateTime.UtcNow);
        cpuStart = serverCpu();
        var storeStart = storeCpu?.Invoke() ?? TimeSpan.Zero;
        sw.Start();
        Volatile.Write(ref measuring, true);
        stopAt = DateTime.UtcNow.AddSeconds(seconds);
        await Task.WhenAll(loops);
        sw.Stop();
        var cpu = serverCpu() - cpuStart;
        var store = storeCpu is null ? (double?)null : (storeCpu() - storeStart).TotalMicroseconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length / sw.Elapsed.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)], cpu.TotalMicroseconds / all.Length, errors, connections, store / all.Length);
    }

    private static void Report(string label, Result r) =>
        Console.WriteLine($"{label} ({r.Connections} connections): {r.Rps:N0} requests/s, p50 {r.P50Ms:F2} ms, p99 {r.P99Ms:F2} ms, server CPU {r.CpuMicrosPerRequest:F0} µs/request, {r.Errors} errors");

    private static TimeSpan Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv)) * 10);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Keel.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? Directory.GetCurrentDirectory();
    }

    private sealed record Result(double Rps, double P50Ms, double P99Ms, double CpuMicrosPerRequest, long Errors, int Connections, double? StoreCpuMicrosPerRequest = null);
}
