using System.Diagnostics;
using System.Globalization;
using Keel.Core.Monitoring;
using Keel.Storage.Postgres;
using Keel.Storage.Sqlite;

namespace Keel.Bench;

/// <summary>
/// Feedback ingestion (issue 11): delayed labels per second into the monitoring store, on SQLite and
/// (with --backend-store-uri) PostgreSQL. It indexes N logged predictions as the bucket jobs do,
/// then adds N labels in batches of 50,000 (the CLI's default): 90% match a prediction, 10% do not,
/// and a second pass replaces 10% (last write wins). Usage:
///   dotnet run -c Release --project bench/Keel.Bench -- feedback [--labels N] [--backend-store-uri postgresql://...]
/// </summary>
internal static class FeedbackDriver
{
    private const int Batch = 50_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var total = int.Parse(Arg(args, "--labels") ?? "500000", CultureInfo.InvariantCulture);
        Console.WriteLine($"# Keel feedback ingestion  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  labels {total:N0}, batches of {Batch:N0}");
        var dir = Path.Combine(Path.GetTempPath(), "keel-feedback-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using (var sqlite = new SqliteMonitoringStore(Path.Combine(dir, "mlflow.db")))
            {
                await RunAsync("SQLite", sqlite, total);
            }

            if (Arg(args, "--backend-store-uri") is { } uri)
            {
                using var postgres = new PostgresMonitoringStore(uri);
                await postgres.DeleteEndpointAsync("bench");
                await RunAsync("PostgreSQL", postgres, total);
                await postgres.DeleteEndpointAsync("bench");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private static async Task RunAsync(string backend, IMonitoringStore store, int total)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var predicted = (int)(total * 0.9);
        for (var b = 0; b * Batch < predicted; b++)
        {
            var rows = Enumerable.Range(b * Batch, Math.Min(Batch, predicted - (b * Batch)))
                .Select(i => new LoggedPrediction($"req-{i}", start, "bench/1", "\"yes\"", "[0.2,0.8]")).ToList();
            await store.PutBucketAsync(new MonitoringBucket("bench", start.AddSeconds(b), 1, rows.Count, "{}", start), rows);
        }

        var watch = Stopwatch.StartNew();
        long matched = 0;
        for (var b = 0; b * Batch < total; b++)
        {
            var labels = Enumerable.Range(b * Batch, Math.Min(Batch, total - (b * Batch))).Select(i => new FeedbackLabel($"req-{i}", i % 3 == 0 ? "\"no\"" : "\"yes\"")).ToList();
            matched += (await store.AddLabelsAsync("bench", labels)).Matched;
        }

        var first = watch.Elapsed;
        watch.Restart();
        var again = Enumerable.Range(0, total / 10).Select(i => new FeedbackLabel($"req-{i * 10}", "\"no\"")).ToList();
        var replaced = (await store.AddLabelsAsync("bench", again)).Replaced;
        var second = watch.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{backend,-10} {total:N0} new labels in {first.TotalSeconds:0.00} s = {total / first.TotalSeconds:N0} labels/s ({matched:N0} matched); {again.Count:N0} replacements in {second.TotalSeconds:0.00} s = {again.Count / second.TotalSeconds:N0} labels/s ({replaced:N0} replaced)"));
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
