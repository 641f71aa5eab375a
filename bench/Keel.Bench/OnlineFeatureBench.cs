using System.Diagnostics;
using System.Globalization;
using Keel.Application.Features;
using Keel.Core.Coordination;
using Keel.Core.Features;
using Keel.Storage.Features;
using Keel.Storage.Redis;
using Keel.Storage.Sqlite.Features;

namespace Keel.Bench;

/// <summary>
/// <c>online-write [--rows N] [--redis-rows N]</c>: rows/s into the embedded online store (and Redis
/// when KEEL_TEST_REDIS is set), with memory before and after, first write and idempotent re-write.
/// <c>online-read [--reads N]</c>: 1 entity x 50 features through <see cref="OnlineFeatureService"/>,
/// in-process p50/p99 on the cached embedded store, the uncached SQLite store and Redis.
/// </summary>
internal static class OnlineFeatureBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> WriteAsync(string[] args)
    {
        var rows = int.Parse(Arg(args, "--rows") ?? "1000000", Inv);
        var redisRows = int.Parse(Arg(args, "--redis-rows") ?? "500000", Inv);
        const int Chunk = 100_000;
        Console.WriteLine($"# online-write  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores; rows of 10 features (4 double, 3 long, 2 string, 1 bool), chunks of {Chunk:N0}");
        var dir = Directory.CreateTempSubdirectory("keel-online-bench-").FullName;
        try
        {
            await using (var store = SqliteOnlineStore.Open(Path.Combine(dir, "online.db")))
            {
                await RunWritesAsync("embedded (SQLite)", store, rows, Chunk);
            }

            Console.WriteLine($"file size: {new FileInfo(Path.Combine(dir, "online.db")).Length / 1048576.0:F0} MiB");
            if (Environment.GetEnvironmentVariable("KEEL_TEST_REDIS") is { Length: > 0 } redis)
            {
                var uri = new Uri(redis);
                var prefix = "keel-bench:" + Guid.NewGuid().ToString("N")[..8] + ":";
                await using var store = await RedisOnlineStore.ConnectAsync(uri.Host, uri.Port, 0, null, prefix);
                await RunWritesAsync($"Redis {uri.Host}:{uri.Port}", store, redisRows, Chunk);
                await store.DropAsync("bench@v1");
            }
            else
            {
                Console.WriteLine("Redis: not measured (KEEL_TEST_REDIS unset)");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    public static async Task<int> ReadAsync(string[] args)
    {
        var reads = int.Parse(Arg(args, "--reads") ?? "200000", Inv);
        const int Entities = 100_000;
        Console.WriteLine($"# online-read  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores; 1 entity x 50 features (Float64), {Entities:N0} entities stored, {reads:N0} reads of random entities");
        var defs = new FeatureDefinitions(
            [new FeatureEntity("driver", ["driver_id"])],
            [new FeatureSource("s", "s.parquet", "ts")],
            [new FeatureView("stats", ["driver"], "s", TimeSpan.FromDays(1), [.. Enumerable.Range(0, 50).Select(i => new FeatureField("f" + i.ToString(Inv), FeatureDtype.Float64))])],
            [],
            []);
        var registry = new StaticRegistry(defs);
        var features = Enumerable.Range(0, 50).Select(i => "stats:f" + i.ToString(Inv)).ToArray();
        var now = DateTimeOffset.UtcNow;
        var rows = Enumerable.Range(0, Entities).Select(i => new OnlineRow(i.ToString(Inv), now.AddMinutes(-5).ToUnixTimeMilliseconds(), 0, [.. Enumerable.Range(0, 50).Select(f => (object?)(i * 0.001 + f))])).ToList();
        var dir = Directory.CreateTempSubdirectory("keel-online-bench-").FullName;
        try
        {
            var sqlite = SqliteOnlineStore.Open(Path.Combine(dir, "online.db"));
            await sqlite.WriteAsync("stats@v1", rows);
            await using (var cached = new CachedOnlineStore(sqlite))
            {
                await MeasureAsync("in-process, embedded store + cache", new OnlineFeatureService(registry, cached), features, reads, Entities);
                await MeasureAsync("in-process, embedded store without cache", new OnlineFeatureService(registry, cached.Inner), features, reads / 4, Entities);
            }

            if (Environment.GetEnvironmentVariable("KEEL_TEST_REDIS") is { Length: > 0 } redis)
            {
                var uri = new Uri(redis);
                var prefix = "keel-bench:" + Guid.NewGuid().ToString("N")[..8] + ":";
                await using var store = await RedisOnlineStore.ConnectAsync(uri.Host, uri.Port, 0, null, prefix);
                await store.WriteAsync("stats@v1", rows);
                await MeasureAsync($"in-process, Redis {uri.Host}:{uri.Port} (loopback, no cache)", new OnlineFeatureService(registry, store), features, reads / 4, Entities);
                await store.DropAsync("stats@v1");
            }
            else
            {
                Console.WriteLine("Redis: not measured (KEEL_TEST_REDIS unset)");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private static async Task RunWritesAsync(string name, IOnlineFeatureStore store, int rows, int chunk)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(true);
        var rssBefore = Environment.WorkingSet;
        long peakRss = rssBefore;
        foreach (var pass in new[] { "first write", "re-write (idempotent)" })
        {
            var clock = Stopwatch.StartNew();
            for (var offset = 0; offset < rows; offset += chunk)
            {
                // Rows are made per chunk, as the source scanner streams them: memory stays flat.
                var count = Math.Min(chunk, rows - offset);
                var batch = new OnlineRow[count];
                for (var i = 0; i < count; i++)
                {
                    var id = offset + i;
                    batch[i] = new OnlineRow(
                        "driver-" + id.ToString(Inv), start + (id % 86_400) * 1000L, 0,
                        [id * 0.5, id * 0.25, 1.0 / (id + 1), 3.14, (long)id, (long)(id % 7), 42L, "city-" + (id % 100).ToString(Inv), "gold", id % 2 == 0]);
                }

                await store.WriteAsync("bench@v1", batch);
                peakRss = Math.Max(peakRss, Environment.WorkingSet);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{name}: {pass}: {rows:N0} rows in {seconds:F2} s = {rows / seconds:N0} rows/s");
        }

        GC.Collect();
        Console.WriteLine($"{name}: managed heap {heapBefore / 1048576.0:F0} -> {GC.GetTotalMemory(true) / 1048576.0:F0} MiB; RSS {rssBefore / 1048576.0:F0} -> peak {peakRss / 1048576.0:F0} MiB");
    }

    private static async Task MeasureAsync(string name, OnlineFeatureService service, string[] features, int reads, int entities)
    {
        var random = new Random(7);
        var samples = new double[reads];
        var warm = Math.Min(20_000, reads);
        for (var i = 0; i < warm; i++)
        {
            await service.GetOnlineFeaturesAsync(features, null, new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [(long)random.Next(entities)] });
        }

        var total = Stopwatch.StartNew();
        for (var i = 0; i < reads; i++)
        {
            var entity = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [(long)random.Next(entities)] };
            var t = Stopwatch.GetTimestamp();
            var result = await service.GetOnlineFeaturesAsync(features, null, entity);
            samples[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            if (result.Statuses[0][0] != OnlineValueStatus.Present)
            {
                throw new InvalidOperationException("the benchmark read found nothing");
            }
        }

        Array.Sort(samples);
        Console.WriteLine($"{name}: p50 {samples[reads / 2]:F1} us, p99 {samples[(int)(reads * 0.99)]:F1} us, p99.9 {samples[(int)(reads * 0.999)]:F1} us, {reads / total.Elapsed.TotalSeconds:N0} reads/s on one thread");
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class StaticRegistry(FeatureDefinitions defs) : IFeatureRegistry
    {
        private readonly FeatureCatalog _catalog = new(1, [
            .. defs.Entities.Select(e => new StoredFeatureObject(FeatureObjectKind.Entity, e.Name, 1, e, 0, 0, null)),
            .. defs.Sources.Select(s => new StoredFeatureObject(FeatureObjectKind.Source, s.Name, 1, s, 0, 0, null)),
            .. defs.Views.Select(v => new StoredFeatureObject(FeatureObjectKind.View, v.Name, 1, v, 0, 0, null))]);

        public Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default) => Task.FromResult(_catalog);

        public Task<FeatureCatalog> ApplyAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(FeatureObjectKind kind, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<MaterializationState?> GetMaterializationAsync(string view, CancellationToken cancellationToken = default) => Task.FromResult<MaterializationState?>(null);

        public Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

/// <summary>
/// <c>online-rest --url http://127.0.0.1:5000 --features v:f1,v:f2 --entity driver_id --entities 100000 [--connections 32] [--seconds 10]</c>:
/// requests/s and latency of POST /api/2.0/keel/features/online against a running server whose
/// online store holds the entities 0..N-1 (materialized beforehand), one entity per request.
/// </summary>
internal static class OnlineRestDriver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arg(args, "--url") ?? throw new ArgumentException("--url of a running keel server is required");
        var features = (Arg(args, "--features") ?? throw new ArgumentException("--features view:f,... is required")).Split(',');
        var key = Arg(args, "--entity") ?? "driver_id";
        var entities = int.Parse(Arg(args, "--entities") ?? "100000", Inv);
        var connections = int.Parse(Arg(args, "--connections") ?? "32", Inv);
        var seconds = double.Parse(Arg(args, "--seconds") ?? "10", Inv);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(url) };
        var head = "{\"features\": [" + string.Join(", ", features.Select(f => "\"" + f + "\"")) + "], \"entities\": {\"" + key + "\": [";
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var latencies = new List<double>[connections];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var random = new Random(c);
            var mine = latencies[c] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                using var content = new StringContent(head + random.Next(entities).ToString(Inv) + "]}}", System.Text.Encoding.UTF8, "application/json");
                var t = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/api/2.0/keel/features/online", content);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine($"# online-rest {url}  {connections} connections, {features.Length} features, {seconds:F0} s");
        Console.WriteLine($"{all.Length / clock.Elapsed.TotalSeconds:N0} requests/s; p50 {all[all.Length / 2]:F2} ms, p99 {all[(int)(all.Length * 0.99)]:F2} ms; {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
