using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Keel.Artifacts;
using Keel.Data.Content;

namespace Keel.Bench;

/// <summary>
/// `keel-bench data-add`: the storage side of `keel data add` on a local artifact store, with the
/// peers measured in the same run on the same (page-cached) file. Reports, for a 1 GiB file:
/// one-pass chunking + BLAKE3 (what adding costs in hashing), the whole snapshot into a fresh store
/// (hashing plus writing 1 GiB of packs), re-adding it unchanged (a new store instance, as a new CLI
/// process would: SQLite open, index sync, stat lookup, manifest); then 100,000 small files added
/// fresh and re-added; then `openssl dgst -sha256`, `sha256sum`, .NET SHA-256 and plain BLAKE3 on
/// the same file. Options: --dir DIR (scratch, default the temp dir), --size-mib N (1024),
/// --small-files N (100000), --keep.
/// </summary>
internal static class DataAddDriver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var sizeMib = int.Parse(Arg(args, "--size-mib") ?? "1024", Inv);
        var smallFiles = int.Parse(Arg(args, "--small-files") ?? "100000", Inv);
        var scratch = Path.Combine(Arg(args, "--dir") ?? Path.GetTempPath(), $"keel-bench-data-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        Console.WriteLine($"# data-add  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load average {LoadAverage()}  {sizeMib} MiB file, {smallFiles} small files");
        try
        {
            var big = Path.Combine(scratch, "big.bin");
            WriteRandomFile(big, (long)sizeMib * 1024 * 1024);
            var bytes = new FileInfo(big).Length;

            // One-pass chunking + hashing, nothing stored: the hashing cost of an add. Twice: the
            // first run also pays for JIT compilation and tiering of the hash loops.
            var watch = Stopwatch.StartNew();
            for (var run = 1; run <= 2; run++)
            {
                Mark();
            watch.Restart();
                var (chunks, _) = await FileHasher.HashStreamingAsync(big, "big.bin", (_, _) => ValueTask.CompletedTask, _ => { }, CancellationToken.None);
                Report($"chunk + BLAKE3, one pass, no store (run {run})", bytes, watch.Elapsed, $"{chunks.Count} chunks");
            }

            var artifacts = new LocalArtifactStore(Path.Combine(scratch, "store"));
            var cache = Path.Combine(scratch, "cache");
            DatasetManifest first;
            await using (var store = new ContentStore(artifacts, cache))
            {
                Mark();
            watch.Restart();
                first = await store.SnapshotAsync(big);
                Report("snapshot 1 GiB into a fresh local store", bytes, watch.Elapsed, $"{first.Files[0].Chunks.Count} chunks");
            }

            for (var i = 0; i < 3; i++)
            {
                Mark();
            watch.Restart();
                await using var store = new ContentStore(artifacts, cache);
                var again = await store.SnapshotAsync(big);
                var elapsed = watch.Elapsed;
                Console.WriteLine(string.Create(Inv, $"re-add unchanged 1 GiB (new store instance)      {elapsed.TotalMilliseconds,8:F1} ms{(again.Digest == first.Digest ? string.Empty : "  DIGEST CHANGED")}"));
            }

            var tree = Path.Combine(scratch, "small");
            Mark();
            watch.Restart();
            var smallBytes = WriteSmallFiles(tree, smallFiles);
            Console.WriteLine(string.Create(Inv, $"(generated {smallFiles} small files, {smallBytes / 1e6:F1} MB, in {watch.Elapsed.TotalSeconds:F1} s)"));
            await using (var store = new ContentStore(artifacts, cache))
            {
                Mark();
            watch.Restart();
                var manifest = await store.SnapshotAsync(tree);
                Files("add small files (fresh)", manifest.FileCount, watch.Elapsed);
            }

            await using (var store = new ContentStore(artifacts, cache))
            {
                Mark();
            watch.Restart();
                var manifest = await store.SnapshotAsync(tree);
                Files("re-add small files unchanged (new instance)", manifest.FileCount, watch.Elapsed);
            }

            await using (var store = new ContentStore(artifacts, Path.Combine(scratch, "cache-2")))
            {
                Mark();
            watch.Restart();
                var manifest = await store.SnapshotAsync(tree);
                Files("add small files, empty cache, store has them", manifest.FileCount, watch.Elapsed);
            }

            Console.WriteLine("# peers on the same file");
            Peer("openssl dgst -sha256", "openssl", ["dgst", "-sha256", big], bytes);
            Peer("sha256sum", "sha256sum", [big], bytes);
            Peer("b3sum (if installed)", "b3sum", [big], bytes);
            Mark();
            watch.Restart();
            using (var stream = new FileStream(big, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            {
                SHA256.HashData(stream);
            }

            Report(".NET SHA-256", bytes, watch.Elapsed, string.Empty);
            Report("BLAKE3 (Blake3 NuGet, one thread)", bytes, TimeHashing(big, (hasher, span) => hasher.Update(span)), string.Empty);
            Report("BLAKE3 (Blake3 NuGet, UpdateWithJoin)", bytes, TimeHashing(big, (hasher, span) => hasher.UpdateWithJoin(span)), string.Empty);
            Report("gear cut points only", bytes, TimeGear(big), string.Empty);
            Console.WriteLine($"# load average at the end {LoadAverage()}");
        }
        finally
        {
            if (!args.Contains("--keep"))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        return 0;
    }

    // CPU time of this process and its reaped children (the peers): on a shared machine the wall
    // clock says how much CPU the run was given, CPU time says how much the work costs.
    private static TimeSpan _cpuMark;

    private static void Mark() => _cpuMark = ProcessCpu.Of(Environment.ProcessId, withChildren: true);

    private static double CpuSeconds() => (ProcessCpu.Of(Environment.ProcessId, withChildren: true) - _cpuMark).TotalSeconds;

    private static void Report(string what, long bytes, TimeSpan elapsed, string note)
    {
        var cpu = CpuSeconds();
        Console.WriteLine(string.Create(Inv, $"{what,-48} {bytes / elapsed.TotalSeconds / 1e9,6:F2} GB/s  ({elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU = {bytes / Math.Max(cpu, 0.01) / 1e9:F2} GB per CPU-s) {note}"));
    }

    private static void Files(string what, int count, TimeSpan elapsed)
    {
        var cpu = CpuSeconds();
        Console.WriteLine(string.Create(Inv, $"{what,-48} {count / elapsed.TotalSeconds,8:F0} files/s  ({elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU)"));
    }

    private static void Peer(string what, string command, string[] arguments, long bytes)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            Mark();
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Report(what, bytes, watch.Elapsed, process.ExitCode == 0 ? string.Empty : $"exit {process.ExitCode}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.WriteLine($"{what,-48}   not installed");
        }
    }

    private static TimeSpan TimeHashing(string path, Action<Blake3.Hasher, ReadOnlySpan<byte>> update)
    {
        var buffer = new byte[16 << 20];
        Mark();
        var watch = Stopwatch.StartNew();
        using var hasher = Blake3.Hasher.New();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            update(hasher, buffer.AsSpan(0, read));
        }

        hasher.Finalize();
        return watch.Elapsed;
    }

    private static TimeSpan TimeGear(string path)
    {
        var buffer = new byte[16 << 20];
        Mark();
        var watch = Stopwatch.StartNew();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        int read;
        var cuts = 0;
        while ((read = stream.Read(buffer)) > 0)
        {
            for (var position = 0; position < read; cuts++)
            {
                position += GearChunker.NextCut(buffer.AsSpan(position, read - position));
            }
        }

        GC.KeepAlive(cuts);
        return watch.Elapsed;
    }

    private static void WriteRandomFile(string path, long size)
    {
        var buffer = new byte[8 << 20];
        var random = new Random(42);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            for (long written = 0; written < size; written += buffer.Length)
            {
                random.NextBytes(buffer);
                stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
            }
        }

        // Older than the racy-clean window, as data on disk usually is.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5));
    }

    private static long WriteSmallFiles(string root, int count)
    {
        var random = new Random(7);
        var old = DateTime.UtcNow.AddMinutes(-5);
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            var directory = Path.Combine(root, $"part-{i / 1000:D3}");
            if (i % 1000 == 0)
            {
                Directory.CreateDirectory(directory);
            }

            var path = Path.Combine(directory, $"record-{i:D6}.json");
            var text = $"{{\"id\":{i},\"value\":{random.NextDouble().ToString("R", Inv)},\"label\":\"{new string((char)('a' + (i % 26)), random.Next(10, 400))}\"}}\n";
            File.WriteAllText(path, text);
            File.SetLastWriteTimeUtc(path, old);
            total += text.Length;
        }

        return total;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ') is [var one, var five, var fifteen, ..] ? $"{one} {five} {fifteen}" : "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string? Arg(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
