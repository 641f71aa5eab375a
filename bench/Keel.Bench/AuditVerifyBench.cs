using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Keel.Core.Governance;
using Keel.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Keel.Bench;

/// <summary>
/// The audit log's hash chain (issue 14). First the .NET SHA-256 APIs on one event's bytes
/// (previous hash + canonical encoding, typical size): one-shot <c>SHA256.HashData</c> on a span,
/// <c>IncrementalHash</c> fed field by field or all at once, and a reused <c>SHA256</c> instance.
/// Then a SQLite file of N events (endpoint-sized before/after JSON) is written directly, and
/// <see cref="SqliteAuditLog.VerifyAsync"/> reads and rechecks the whole chain; best of --repeat.
/// Usage:
///   dotnet bench/Keel.Bench/bin/Release/net10.0/Keel.Bench.dll audit-verify [--events 1000000] [--repeat 3]
/// </summary>
internal static class AuditVerifyBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = int.Parse(Arg(args, "--events") ?? "1000000", CultureInfo.InvariantCulture);
        var repeat = int.Parse(Arg(args, "--repeat") ?? "3", CultureInfo.InvariantCulture);
        Console.WriteLine($"# Keel audit-verify  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  {events:N0} events, best of {repeat}");
        HashApis();

        var dir = Path.Combine(Path.GetTempPath(), "keel-audit-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "keel.db");
            using (var create = new SqliteAuditLog(path))
            {
                // Opening the log migrates the file; the first event goes through the log itself.
                await create.AppendAsync(Entry(0));
            }

            var sw = Stopwatch.StartNew();
            var bytes = Fill(path, events);
            Console.WriteLine($"wrote {events:N0} events ({bytes / 1e6:F0} MB of fields, file {new FileInfo(path).Length / 1e6:F0} MB) in {sw.Elapsed.TotalSeconds:F1} s");

            using var log = new SqliteAuditLog(path);
            var best = double.MaxValue;
            var bestCpu = double.MaxValue;
            for (var i = 0; i < repeat; i++)
            {
                GC.Collect();
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = ProcessCpu.Of(Environment.ProcessId);
                sw.Restart();
                var result = await log.VerifyAsync();
                var seconds = sw.Elapsed.TotalSeconds;
                var cpuSeconds = (ProcessCpu.Of(Environment.ProcessId) - cpu).TotalSeconds;
                bestCpu = Math.Min(bestCpu, cpuSeconds);
                var perEvent = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)result.Count;
                best = Math.Min(best, seconds);
                Console.WriteLine($"verify: {result.Count:N0} events, intact {result.Intact}, {seconds:F2} s wall, {cpuSeconds:F2} s CPU ({result.Count / seconds / 1e6:F2} M events/s), {perEvent:F0} B allocated per event");
            }

            Console.WriteLine($"best: {best:F2} s wall, {bestCpu:F2} s CPU (what one quiet core needs) for {events:N0} events; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static AuditEntry Entry(int i)
    {
        var version = (i % 50) + 1;
        var before = $"{{\"name\":\"churn-{i % 100}\",\"environment\":\"prod\",\"mode\":\"canary\",\"traffic\":[{{\"model\":\"churn-model\",\"version\":\"{version}\",\"percent\":90}},{{\"model\":\"churn-model\",\"version\":\"{version + 1}\",\"percent\":10}}],\"limits\":{{\"max_concurrency\":64,\"max_batch_rows\":5000,\"timeout_ms\":2000}},\"version\":{i}}}";
        var after = before.Replace("\"percent\":90", "\"percent\":50", StringComparison.Ordinal).Replace("\"percent\":10", "\"percent\":50", StringComparison.Ordinal);
        return new AuditEntry(i % 3 == 0 ? "keel:rollout-controller" : "alice@example.com", "endpoint.rollout.step", "endpoint", "churn-" + (i % 100), before, after, "prod", i % 10 == 0 ? i : null);
    }

    // Continues the chain from the event the log wrote, in batches of one transaction each.
    private static long Fill(string path, int events)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF";
            pragma.ExecuteNonQuery();
        }

        byte[] previous;
        long time;
        using (var head = connection.CreateCommand())
        {
            head.CommandText = "SELECT hash, time FROM audit_events WHERE seq = 1";
            using var reader = head.ExecuteReader();
            reader.Read();
            previous = (byte[])reader.GetValue(0);
            time = reader.GetInt64(1);
        }

        long bytes = 0;
        for (var start = 2; start <= events; start += 50_000)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO audit_events (seq, time, actor, action, resource_type, resource, environment, approval_id, before, after, previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
            var p = Enumerable.Range(1, 12).Select(i => insert.Parameters.Add(new SqliteParameter("$" + i, null))).ToArray();
            for (var seq = start; seq < start + 50_000 && seq <= events; seq++)
            {
                var e = Entry(seq);
                var hash = AuditChain.ComputeHash(previous, seq, time + seq, e);
                object?[] values = [(long)seq, time + seq, e.Actor, e.Action, e.ResourceType, e.Resource, e.Environment, e.ApprovalId, e.Before, e.After, previous, hash];
                for (var i = 0; i < 12; i++)
                {
                    p[i].Value = values[i] ?? DBNull.Value;
                }

                insert.ExecuteNonQuery();
                bytes += e.Before!.Length + e.After!.Length + e.Actor.Length + e.Action.Length + e.ResourceType.Length + e.Resource.Length + 4;
                previous = hash;
            }

            transaction.Commit();
        }

        return bytes;
    }

    private static void HashApis()
    {
        var e = Entry(12345);
        var encoder = new AuditEncoder();
        encoder.Begin(new byte[32], 12345, 1_800_000_000_000);
        encoder.Text(e.Actor);
        encoder.Text(e.Action);
        encoder.Text(e.ResourceType);
        encoder.Text(e.Resource);
        encoder.Text(e.Environment);
        encoder.OptionalInt64(e.ApprovalId);
        encoder.Text(e.Before);
        encoder.Text(e.After);
        var data = encoder.Written.ToArray();
        var fields = Split(data);
        Console.WriteLine($"one event: {data.Length} bytes in {fields.Count} pieces");
        var destination = new byte[32];
        const int N = 1_000_000;

        Measure("SHA256.HashData(span, span), one shot", () => SHA256.HashData(data, destination));
        using var incremental = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Measure("IncrementalHash, whole buffer", () =>
        {
            incremental.AppendData(data);
            incremental.GetHashAndReset(destination);
        });
        Measure("IncrementalHash, field by field", () =>
        {
            foreach (var (offset, length) in fields)
            {
                incremental.AppendData(data, offset, length);
            }

            incremental.GetHashAndReset(destination);
        });
        using var sha = SHA256.Create();
        Measure("SHA256 instance, TryComputeHash", () => sha.TryComputeHash(data, destination, out _));
        Measure("encode fields + HashData (what verify does per row)", () =>
        {
            encoder.Begin(destination, 12345, 1_800_000_000_000);
            encoder.Text(e.Actor);
            encoder.Text(e.Action);
            encoder.Text(e.ResourceType);
            encoder.Text(e.Resource);
            encoder.Text(e.Environment);
            encoder.OptionalInt64(e.ApprovalId);
            encoder.Text(e.Before);
            encoder.Text(e.After);
            encoder.Hash(destination);
        });

        void Measure(string name, Action hash)
        {
            for (var i = 0; i < 10_000; i++)
            {
                hash();
            }

            var best = double.MaxValue;
            var bestCpu = double.MaxValue;
            for (var round = 0; round < 3; round++)
            {
                var cpu = ProcessCpu.Of(Environment.ProcessId);
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < N; i++)
                {
                    hash();
                }

                best = Math.Min(best, sw.Elapsed.TotalMilliseconds * 1e6 / N);
                bestCpu = Math.Min(bestCpu, (ProcessCpu.Of(Environment.ProcessId) - cpu).TotalMilliseconds * 1e6 / N);
            }

            Console.WriteLine($"  {name,-55} {best,7:F0} ns/event wall, {bestCpu,7:F0} ns CPU  ({data.Length / bestCpu:F2} GB/s per CPU)");
        }
    }

    // The pieces an incremental hasher would be fed: previous hash, the two numbers, each field's prefix and bytes.
    private static List<(int Offset, int Length)> Split(byte[] data)
    {
        var pieces = new List<(int, int)> { (0, 32), (32, 8), (40, 8) };
        var at = 48;
        for (var field = 0; field < 8; field++)
        {
            if (field == 5)
            {
                var length = data[at] == 1 ? 9 : 1;
                pieces.Add((at, length));
                at += length;
                continue;
            }

            var size = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            pieces.Add((at, 4));
            at += 4;
            if (size != -1 && size != unchecked((int)0xFFFFFFFF))
            {
                pieces.Add((at, size));
                at += size;
            }
        }

        return pieces;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
