using System.Diagnostics;
using System.Globalization;
using Keel.Compute.Drift;

namespace Keel.Bench;

/// <summary>
/// Issue 11 drift figure: 100 columns (80 numeric, 20 categorical), 1,000,000 reference rows x
/// 100,000 current rows, automatic methods (so normed Wasserstein and Jensen–Shannon). The data is
/// generated once, deterministically, into binary files that the scipy peer (drift_scipy.py) reads
/// too, so both compute the same statistics on the same values; each prints a checksum (the sum of
/// the scores) to compare.
///   dotnet run -c Release --project bench/Keel.Bench -- drift [--dir DIR] [--peer]
/// Files: ref_num.f32 / cur_num.f32 (column-major float32), ref_cat.u8 / cur_cat.u8 (category codes, "c0".."c11").
/// </summary>
internal static class DriftBench
{
    private const int Numeric = 80;
    private const int Categorical = 20;
    private const int ReferenceRows = 1_000_000;
    private const int CurrentRows = 100_000;

    public static int Run(string[] args)
    {
        var dir = Arg(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "keel-drift-bench");
        Directory.CreateDirectory(dir);
        EnsureData(dir);
        var columns = Load(dir);
        Console.WriteLine($"# drift  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {LoadAvg()}  {Numeric}+{Categorical} columns, {ReferenceRows:N0} x {CurrentRows:N0} rows");
        DriftEngine.Compare(columns); // warm-up: JIT
        var times = new List<double>();
        DatasetDriftResult? result = null;
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            result = DriftEngine.Compare(columns);
            times.Add(sw.Elapsed.TotalSeconds);
        }

        times.Sort();

        // Under a loaded machine wall time mostly measures the queue for a core; CPU time does not.
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        DriftEngine.Compare(columns);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var one = Stopwatch.StartNew();
        DriftEngine.CompareColumn(columns[0]);
        var numericColumn = one.Elapsed.TotalMilliseconds;
        one.Restart();
        DriftEngine.CompareColumn(columns[^1]);
        var categoricalColumn = one.Elapsed.TotalMilliseconds;
        var checksum = result!.Columns.Sum(c => c.DriftScore);
        Console.WriteLine($"keel   median {times[2]:F3} s  (min {times[0]:F3}, max {times[^1]:F3})  drifted {result.NumberOfDriftedColumns}/{result.NumberOfColumns}  checksum {checksum:F10}");
        Console.WriteLine($"       cpu {cpuSeconds:F3} s for one run; one numeric column {numericColumn:F0} ms, one categorical column {categoricalColumn:F0} ms (single thread)");
        var refValues = columns[0].NumericReference;
        one.Restart();
        var sortedRef = RadixSort.SortFinite(refValues.Span);
        var sortMs = one.Elapsed.TotalMilliseconds;
        var sortedCur = RadixSort.SortFinite(columns[0].NumericCurrent.Span);
        one.Restart();
        NumericDrift.Wasserstein(sortedRef, sortedCur);
        var wassersteinMs = one.Elapsed.TotalMilliseconds;
        one.Restart();
        NumericDrift.StandardDeviation(sortedRef);
        var stdMs = one.Elapsed.TotalMilliseconds;
        one.Restart();
        var arraySorted = refValues.ToArray();
        Array.Sort(arraySorted);
        Console.WriteLine($"       1M values: radix sort {sortMs:F1} ms (Array.Sort {one.Elapsed.TotalMilliseconds:F1} ms), wasserstein merge {wassersteinMs:F1} ms, std {stdMs:F1} ms");
        Console.WriteLine($"       methods: {string.Join(", ", result.Columns.GroupBy(c => c.StatTest).Select(g => $"{g.Key} x{g.Count()}"))}");
        if (args.Contains("--peer"))
        {
            var script = Path.Combine(AppContext.BaseDirectory, "drift_scipy.py");
            using var peer = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, dir]) { RedirectStandardOutput = true })!;
            var output = peer.StandardOutput.ReadToEnd();
            peer.WaitForExit();
            Console.Write(output);
            var seconds = output.Split('\n').Where(l => l.StartsWith("scipy", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
            if (seconds > 0)
            {
                Console.WriteLine($"ratio  scipy / keel = {seconds / times[2]:F1}x");
            }
        }

        return 0;
    }

    private static void EnsureData(string dir)
    {
        if (File.Exists(Path.Combine(dir, "cur_cat.u8")))
        {
            return;
        }

        var rng = new Random(11);
        WriteNumeric(Path.Combine(dir, "ref_num.f32"), ReferenceRows, rng, drifted: false);
        WriteNumeric(Path.Combine(dir, "cur_num.f32"), CurrentRows, rng, drifted: true);
        WriteCategorical(Path.Combine(dir, "ref_cat.u8"), ReferenceRows, rng, drifted: false);
        WriteCategorical(Path.Combine(dir, "cur_cat.u8"), CurrentRows, rng, drifted: true);
    }

    // Column k: normal with mean k, sd 1 + k/40; in the current data every fourth column moves by 0.3 sd.
    private static void WriteNumeric(string path, int rows, Random rng, bool drifted)
    {
        using var file = new BinaryWriter(File.Create(path));
        for (var k = 0; k < Numeric; k++)
        {
            var sd = 1 + k / 40.0;
            var mean = k + (drifted && k % 4 == 0 ? 0.3 * sd : 0);
            for (var i = 0; i < rows; i++)
            {
                var u1 = 1.0 - rng.NextDouble();
                var u2 = rng.NextDouble();
                file.Write((float)(mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
            }
        }
    }

    // 12 categories with skewed shares; in the current data every fourth column favours the last ones.
    private static void WriteCategorical(string path, int rows, Random rng, bool drifted)
    {
        using var file = new BinaryWriter(File.Create(path));
        for (var k = 0; k < Categorical; k++)
        {
            for (var i = 0; i < rows; i++)
            {
                var u = rng.NextDouble();
                var code = (int)(12 * u * u);
                file.Write((byte)(drifted && k % 4 == 0 ? 11 - code : code));
            }
        }
    }

    private static List<DriftColumn> Load(string dir)
    {
        var refNum = Floats(Path.Combine(dir, "ref_num.f32"));
        var curNum = Floats(Path.Combine(dir, "cur_num.f32"));
        var refCat = File.ReadAllBytes(Path.Combine(dir, "ref_cat.u8"));
        var curCat = File.ReadAllBytes(Path.Combine(dir, "cur_cat.u8"));
        var labels = Enumerable.Range(0, 12).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var columns = new List<DriftColumn>();
        for (var k = 0; k < Numeric; k++)
        {
            columns.Add(DriftColumn.Numeric($"n{k}", refNum.AsMemory(k * ReferenceRows, ReferenceRows), curNum.AsMemory(k * CurrentRows, CurrentRows)));
        }

        for (var k = 0; k < Categorical; k++)
        {
            columns.Add(DriftColumn.Categorical($"c{k}",
                refCat.AsSpan(k * ReferenceRows, ReferenceRows).ToArray().Select(b => (string?)labels[b]).ToArray(),
                curCat.AsSpan(k * CurrentRows, CurrentRows).ToArray().Select(b => (string?)labels[b]).ToArray()));
        }

        return columns;
    }

    private static double[] Floats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes);
        var result = new double[floats.Length];
        for (var i = 0; i < floats.Length; i++)
        {
            result[i] = floats[i];
        }

        return result;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string LoadAvg() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
