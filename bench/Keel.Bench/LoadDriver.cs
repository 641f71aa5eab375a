using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Keel.Bench;

/// <summary>
/// HTTP load driver for the tracking server's figures (issue #2): log-batch ingestion, single
/// log-metric calls, runs search, metric history, idle memory and start-up. Client and server share
/// the machine, as the issue's reference figures do. Request bodies are prebuilt so the driver
/// spends as little CPU as possible. Usage:
///   dotnet run -c Release --project bench/Keel.Bench -- load [--keel-dll PATH] [--seconds N]
/// </summary>
internal static class LoadDriver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var keelDll = Arg(args, "--keel-dll") ?? Path.Combine(RepoRoot(), "src/Keel.Cli/bin/Release/net10.0/keel.dll");
        var seconds = int.Parse(Arg(args, "--seconds") ?? "10", Inv);
        if (!File.Exists(keelDll))
        {
            Console.Error.WriteLine($"{keelDll} not found: run `dotnet build -c Release src/Keel.Cli` first.");
            return 2;
        }

        Console.WriteLine($"# Keel load driver  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  {Environment.OSVersion}");
        var startups = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            await using var s = await ServerUnderTest.StartAsync(keelDll);
            startups.Add(s.Startup.TotalMilliseconds);
        }

        Console.WriteLine($"start-up to healthy /health: median {Median(startups):F0} ms (runs: {string.Join(", ", startups.Select(x => x.ToString("F0", Inv)))})");

        await using var server = await ServerUnderTest.StartAsync(keelDll);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server.BaseUri };
        await Task.Delay(2000);
        Console.WriteLine($"idle server RSS: {server.RssBytes() / 1024.0 / 1024.0:F1} MiB");

        var exp = await CreateExperimentAsync(http, "bench");
        var cpu = server.CpuTime();
        var batches = await LogBatchAsync(http, exp, clients: 4, seconds);
        Console.WriteLine($"  server CPU per log-batch request: {(server.CpuTime() - cpu).TotalMilliseconds / batches:F2} ms");
        cpu = server.CpuTime();
        var singles = await LogMetricAsync(http, exp, clients: 4, seconds);
        Console.WriteLine($"  server CPU per log-metric request: {(server.CpuTime() - cpu).TotalMilliseconds * 1000 / singles:F0} µs");
        await SearchAsync(http);
        await HistoryAsync(http, exp);
        if (!args.Contains("--skip-registry"))
        {
            await RegistrySearchAsync(http, exp);
        }

        Console.WriteLine($"server RSS after load: {server.RssBytes() / 1024.0 / 1024.0:F1} MiB");
        return 0;
    }

    private static async Task<long> LogBatchAsync(HttpClient http, string exp, int clients, int seconds)
    {
        var runs = new List<string>();
        for (var c = 0; c < clients; c++)
        {
            runs.Add(await CreateRunAsync(http, exp, $"batch-{c}"));
        }

        var bodies = new LogBatchBodies(1000);
        long points = 0;
        var (elapsed, requests) = await DriveAsync(clients, seconds, async (c, i) =>
        {
            var body = bodies.Build(runs[c], i);
            using var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri("/api/2.0/mlflow/runs/log-batch", UriKind.Relative), content);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"log-batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            Interlocked.Add(ref points, 1000);
        });
        Console.WriteLine($"log-batch (1000 metrics/request, {clients} clients, {elapsed.TotalSeconds:F1} s): {points / elapsed.TotalSeconds:N0} points/s ({requests / elapsed.TotalSeconds:N0} requests/s)");
        return requests;
    }

    private static async Task<long> LogMetricAsync(HttpClient http, string exp, int clients, int seconds)
    {
        var runs = new List<string>();
        for (var c = 0; c < clients; c++)
        {
            runs.Add(await CreateRunAsync(http, exp, $"single-{c}"));
        }

        var (elapsed, requests) = await DriveAsync(clients, seconds, (c, i) =>
            PostOkAsync(http, "runs/log-metric", $"{{\"run_id\":\"{runs[c]}\",\"key\":\"loss\",\"value\":{(1.0 / (i + 1)).ToString("R", Inv)},\"timestamp\":1700000000000,\"step\":{i}}}"));
        Console.WriteLine($"log-metric (single calls, {clients} clients, {elapsed.TotalSeconds:F1} s): {requests / elapsed.TotalSeconds:N0} requests/s");
        return requests;
    }

    private static async Task SearchAsync(HttpClient http)
    {
        var exp = await CreateExperimentAsync(http, "bench-search");
        var rnd = new Random(42);
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var run = await CreateRunAsync(http, exp, $"s-{i}");
            double v;
            lock (rnd)
            {
                v = rnd.NextDouble();
            }

            var metrics = string.Join(',', Enumerable.Range(1, 5).Select(m => $"{{\"key\":\"m{m}\",\"value\":{(v * m % 1).ToString("R", Inv)},\"timestamp\":1,\"step\":0}}"));
            var @params = string.Join(',', Enumerable.Range(1, 5).Select(p => $"{{\"key\":\"p{p}\",\"value\":\"{(char)('a' + ((i + p) % 4))}\"}}"));
            await PostOkAsync(http, "runs/log-batch", $"{{\"run_id\":\"{run}\",\"metrics\":[{metrics}],\"params\":[{@params}]}}");
        });

        var body = $"{{\"experiment_ids\":[\"{exp}\"],\"filter\":\"metrics.m1 > 0.5 and params.p1 = 'a'\",\"order_by\":[\"metrics.m2 DESC\"],\"max_results\":100}}";
        var first = JsonNode.Parse(await PostOkAsync(http, "runs/search", body))!;
        var count = first["runs"]?.AsArray().Count ?? 0;
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var sw = Stopwatch.StartNew();
            await PostOkAsync(http, "runs/search", body);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"runs/search over 2,000 runs (5 metrics, 5 params), filter+order, {count} results: p50 {Median(times):F2} ms, p90 {times[(int)(times.Count * 0.9)]:F2} ms, p99 {times[(int)(times.Count * 0.99)]:F2} ms");
    }

    private static async Task HistoryAsync(HttpClient http, string exp)
    {
        var run = await CreateRunAsync(http, exp, "history");
        for (var b = 0; b < 100; b++)
        {
            var metrics = string.Join(',', Enumerable.Range(0, 1000).Select(k => $"{{\"key\":\"h\",\"value\":{(k * 0.5).ToString("R", Inv)},\"timestamp\":1700000000000,\"step\":{(b * 1000) + k}}}"));
            await PostOkAsync(http, "runs/log-batch", $"{{\"run_id\":\"{run}\",\"metrics\":[{metrics}]}}");
        }

        var times = new List<double>();
        var n = 0;
        for (var i = 0; i < 15; i++)
        {
            var sw = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri($"/api/2.0/mlflow/metrics/get-history?run_id={run}&metric_key=h", UriKind.Relative));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (i == 0)
            {
                n = JsonNode.Parse(bytes)!["metrics"]!.AsArray().Count;
            }
        }

        Console.WriteLine($"metrics/get-history of a {n:N0}-point metric: median {Median(times):F0} ms, min {times.Min():F0} ms (wall time to the last byte)");
    }

    /// <summary>registered-models/search and model-versions/search over 10,000 versions (100 models × 100).</summary>
    private static async Task RegistrySearchAsync(HttpClient http, string exp)
    {
        var runs = new List<string>();
        for (var r = 0; r < 20; r++)
        {
            runs.Add(await CreateRunAsync(http, exp, $"reg-{r}"));
        }

        var prefix = "bench-" + Guid.NewGuid().ToString("N")[..6];
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (m, _) =>
        {
            var name = $"{prefix}-model-{m:D3}";
            await PostOkAsync(http, "registered-models/create", $"{{\"name\":\"{name}\",\"tags\":[{{\"key\":\"team\",\"value\":\"t{m % 5}\"}}]}}");
            for (var v = 0; v < 100; v++)
            {
                var run = runs[(m + v) % runs.Count];
                await PostOkAsync(http, "model-versions/create", $"{{\"name\":\"{name}\",\"source\":\"runs:/{run}/model\",\"run_id\":\"{run}\"}}");
            }
        });

        var queries = new (string Label, string PathAndQuery)[]
        {
            ("registered-models/search name LIKE, 100 results", $"registered-models/search?filter={Uri.EscapeDataString($"name LIKE '{prefix}-model-0%'")}&max_results=100"),
            ("registered-models/search by tag, ordered by name DESC", $"registered-models/search?filter={Uri.EscapeDataString("tags.team = 't3'")}&order_by={Uri.EscapeDataString("name DESC")}&max_results=100"),
            ("model-versions/search one model's 100 versions", $"model-versions/search?filter={Uri.EscapeDataString($"name = '{prefix}-model-042'")}&max_results=1000"),
            ("model-versions/search run_id IN (2 runs), 100 results", $"model-versions/search?filter={Uri.EscapeDataString($"run_id IN ('{runs[0]}', '{runs[1]}')")}&max_results=100"),
        };
        foreach (var (label, query) in queries)
        {
            var times = new List<double>();
            var count = 0;
            for (var i = 0; i < 100; i++)
            {
                var sw = Stopwatch.StartNew();
                var text = await http.GetStringAsync(new Uri("/api/2.0/mlflow/" + query, UriKind.Relative));
                times.Add(sw.Elapsed.TotalMilliseconds);
                if (i == 0)
                {
                    var node = JsonNode.Parse(text)!;
                    count = (node["registered_models"] ?? node["model_versions"])?.AsArray().Count ?? 0;
                }
            }

            Console.WriteLine($"{label} over 10,000 versions ({count} results): p50 {Median(times):F2} ms, p90 {times.Order().ElementAt(90):F2} ms");
        }
    }

    private static async Task<(TimeSpan Elapsed, long Requests)> DriveAsync(int clients, int seconds, Func<int, int, Task> call)
    {
        long requests = 0;
        var sw = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = 0; sw.Elapsed < deadline; i++)
            {
                await call(c, i);
                Interlocked.Increment(ref requests);
            }
        })));
        return (sw.Elapsed, requests);
    }

    internal static async Task<string> PostOkAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("/api/2.0/mlflow/" + path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        }

        return text;
    }

    internal static async Task<string> CreateExperimentAsync(HttpClient http, string name) =>
        (string)JsonNode.Parse(await PostOkAsync(http, "experiments/create", $"{{\"name\":\"{name}-{Guid.NewGuid():N}\"}}"))!["experiment_id"]!;

    internal static async Task<string> CreateRunAsync(HttpClient http, string exp, string name) =>
        (string)JsonNode.Parse(await PostOkAsync(http, "runs/create", $"{{\"experiment_id\":\"{exp}\",\"run_name\":\"{name}\",\"start_time\":1700000000000}}"))!["run"]!["info"]!["run_id"]!;

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s[s.Count / 2];
    }

    internal static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
