using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Keel.Application;
using Keel.Application.Jobs;
using Keel.Application.Pipelines;
using Keel.Core.Jobs;
using Keel.Core.Pipelines;
using Keel.Core.Tracking;
using Keel.Storage.Postgres;
using Keel.Storage.Sqlite;

namespace Keel.Bench;

/// <summary>
/// Pipeline scheduler and runner overhead (issue 12): N runs of a three-step no-op pipeline
/// (a → b → c), started at once and run through the job queue by in-process workers, end to end:
/// run creation, one job per step, leases, cache check, step transitions with events, logs, and
/// (unless --no-tracking) a nested MLflow run per step and per pipeline run. Then the cost of one
/// cache check (key from the material + store lookup). SQLite by default; PostgreSQL with
/// --backend-store-uri. Usage:
///   dotnet bench/Keel.Bench/bin/Release/net10.0/Keel.Bench.dll pipelines [--runs 1000] [--workers 2] [--no-tracking] [--backend-store-uri postgresql://...]
/// </summary>
internal static class PipelineBench
{
    private const string Definition = """
        name: bench
        params: {n: "0"}
        concurrency: 1000
        steps:
          - {name: a, type: noop, params: {value: "a-${params.n}"}}
          - {name: b, type: noop, inputs: {in: "${steps.a.value}"}}
          - {name: c, type: noop, inputs: {in: "${steps.b.value}"}}
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(Arg(args, "--runs") ?? "1000", CultureInfo.InvariantCulture);
        var workers = int.Parse(Arg(args, "--workers") ?? "2", CultureInfo.InvariantCulture);
        var tracking = !args.Contains("--no-tracking");
        var uri = Arg(args, "--backend-store-uri");
        Console.WriteLine($"# Keel pipelines  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  {runs:N0} runs x 3 noop steps, {workers} workers, tracking {(tracking ? "on" : "off")}, {(uri is null ? "SQLite" : "PostgreSQL")}");
        var dir = Path.Combine(Path.GetTempPath(), "keel-pipeline-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            IPipelineStore store;
            IJobQueue queue;
            ITrackingStore trackingStore;
            if (uri is null)
            {
                var db = Path.Combine(dir, "keel.db");
                store = new SqlitePipelineStore(db);
                queue = new SqliteJobQueue(db);
                trackingStore = new SqliteTrackingStore(Path.Combine(dir, "mlruns.db"));
            }
            else
            {
                store = new PostgresPipelineStore(uri);
                queue = new PostgresJobQueue(uri);
                trackingStore = new PostgresTrackingStore(uri);
            }

            var signal = new JobSignal();
            var runner = new PipelineRunner(
                store, new StepTypeCatalog([new NoopStep()]), queue, new PipelineInputResolver(null, null, null), new TrackingService(trackingStore),
                new PipelineOptions(Path.Combine(dir, "work"), Tracking: tracking), signal);
            var service = new PipelineService(runner);
            var name = $"bench-{Guid.NewGuid():N}"[..20];
            await service.ApplyPipelineAsync(Definition.Replace("name: bench", $"name: {name}", StringComparison.Ordinal));

            using var stop = new CancellationTokenSource();
            using var worker = new JobWorker(queue, [new PipelineStepHandler(runner)], new JobWorkerOptions("bench", workers, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(50)), null, signal);
            var working = worker.RunAsync(stop.Token);

            var watch = Stopwatch.StartNew();
            var ids = new List<long>(runs);
            for (var i = 0; i < runs; i++)
            {
                var created = await service.StartPipelineRunAsync(name, new Dictionary<string, string> { ["n"] = i.ToString(CultureInfo.InvariantCulture) });
                ids.Add(created.Run!.RunId);
            }

            var started = watch.Elapsed;
            while (true)
            {
                var open = await store.ListRunsAsync(new PipelineRunQuery(name, [PipelineRunState.Queued, PipelineRunState.Running], null, 1));
                if (open.Count == 0)
                {
                    break;
                }

                await Task.Delay(20);
            }

            var total = watch.Elapsed;
            await stop.CancelAsync();
            await working;
            var failed = (await store.ListRunsAsync(new PipelineRunQuery(name, [PipelineRunState.Failed, PipelineRunState.Cancelled], null, 1000))).Count;
            Console.WriteLine($"runs started        {runs:N0} in {started.TotalSeconds:F2} s ({runs / started.TotalSeconds:F0} starts/s)");
            Console.WriteLine($"all runs finished   {total.TotalSeconds:F2} s  =>  {runs / total.TotalSeconds:F1} runs/s, {total.TotalMilliseconds / (runs * 3):F2} ms per step (wall, {workers} workers); failed {failed}");

            // Cache check: the key of a step from its material, then the store lookup (a hit).
            var material = StepCacheKey.Material("noop", 1, JsonSerializer.SerializeToElement(new { value = "a-1" }), new Dictionary<string, string> { ["in"] = "a.value=a-1" }, ["step:b"]);
            var key = StepCacheKey.Of(material);
            await store.PutCacheAsync(new StepCacheEntry(key, name, "b", ids[0], new Dictionary<string, string> { ["value"] = "b" }, 0));
            const int checks = 5000;
            watch.Restart();
            for (var i = 0; i < checks; i++)
            {
                var k = StepCacheKey.Of(StepCacheKey.Material("noop", 1, JsonSerializer.SerializeToElement(new { value = "a-1" }), new Dictionary<string, string> { ["in"] = "a.value=a-1" }, ["step:b"]));
                _ = await store.FindCacheAsync(k) ?? throw new InvalidOperationException("cache miss");
            }

            Console.WriteLine($"cache check         {watch.Elapsed.TotalMilliseconds * 1000 / checks:F0} µs per check (key + lookup, {checks:N0} hits)");
            (store as IDisposable)?.Dispose();
            (queue as IDisposable)?.Dispose();
            (trackingStore as IDisposable)?.Dispose();
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
