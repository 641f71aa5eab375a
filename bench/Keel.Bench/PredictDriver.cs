using System.Diagnostics;
using System.Globalization;
using Keel.ML;
using Keel.ML.Batch;
using Microsoft.ML;
using Parquet;
using Parquet.Schema;

namespace Keel.Bench;

/// <summary>
/// Batch-prediction and model-load figures (issue #3): trains a 100-tree FastTree regressor on 10
/// numeric features, packages it, writes N-row Parquet files, and times Parquet→Parquet scoring end
/// to end, with the process's peak memory. Cold load is timed in a fresh process.
///   dotnet run -c Release --project bench/Keel.Bench -- predict [--rows 1000000]
/// </summary>
internal static class PredictDriver
{
    private const int Features = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(Arg(args, "--rows") ?? "1000000", CultureInfo.InvariantCulture);
        var dir = Path.Combine(Path.GetTempPath(), "keel-predict-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var modelDir = Path.Combine(dir, "model");
            TrainAndSave(modelDir);
            Console.WriteLine($"# Keel predict driver  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores");
            var loads = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                loads.Add(await ColdLoadInFreshProcessAsync(modelDir));
            }

            Console.WriteLine($"cold load + first prediction of the 100-tree ML.NET package (fresh process): median {loads.Order().ElementAt(1):F0} ms (runs: {string.Join(", ", loads.Select(l => l.ToString("F0", CultureInfo.InvariantCulture)))})");

            using var model = ModelLoader.Load(modelDir);

            // Warm-up (JIT, thread pool) on a small file, so the timed runs measure steady state.
            var warm = Path.Combine(dir, "warm.parquet");
            await WriteParquetAsync(warm, 200_000);
            await BatchPredictor.PredictFileAsync(model, warm, warm + ".out");
            foreach (var n in new[] { rows / 2, rows, rows * 2 })
            {
                var input = Path.Combine(dir, $"in-{n}.parquet");
                var output = Path.Combine(dir, $"out-{n}.parquet");
                await WriteParquetAsync(input, n);
                var sw = Stopwatch.StartNew();
                var scored = await BatchPredictor.PredictFileAsync(model, input, output);
                sw.Stop();
                Console.WriteLine($"predict Parquet→Parquet {scored:N0} rows × {Features} cols, 100 trees: {scored / sw.Elapsed.TotalSeconds:N0} rows/s ({sw.Elapsed.TotalSeconds:F2} s), peak RSS so far {PeakRssMiB():F0} MiB");
                File.Delete(input);
                File.Delete(output);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Entry for the child process: load the package and predict one row, print the ms.</summary>
    public static int LoadOnce(string modelDir)
    {
        var sw = Stopwatch.StartNew();
        using var model = ModelLoader.Load(modelDir);
        model.Predict(new Keel.ML.Data.ColumnBatch([.. Enumerable.Range(0, Features).Select(f => Keel.ML.Data.BatchColumn.Of($"f{f}", new[] { 0.5 }))]));
        Console.WriteLine(sw.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
        return 0;
    }

    private static async Task<double> ColdLoadInFreshProcessAsync(string modelDir)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        // The same GC as `keel` (workstation); the bench process itself runs server GC for its load driver.
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.ArgumentList.Add(typeof(PredictDriver).Assembly.Location);
        psi.ArgumentList.Add("load-model");
        psi.ArgumentList.Add(modelDir);
        using var p = Process.Start(psi)!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    internal static void TrainAndSave(string modelDir)
    {
        var ml = new MLContext(seed: 1);
        var rng = new Random(7);
        var rows = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var f = Enumerable.Range(0, Features).Select(_ => (float)rng.NextDouble()).ToArray();
            return new Row { F = f, Label = (3 * f[0]) - (2 * f[1] * f[2]) + MathF.Sin(6 * f[3]) + (0.1f * (float)rng.NextDouble()) };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Flat(r)));
        var names = Enumerable.Range(0, Features).Select(i => $"f{i}").ToArray();
        var pipeline = ml.Transforms.Concatenate("Features", names)
            .Append(ml.Regression.Trainers.FastTree(labelColumnName: "Label", numberOfTrees: 100, numberOfLeaves: 20));
        var fitted = pipeline.Fit(data);
        ModelPackage.SaveMlNet(fitted, data.Schema, modelDir, new MlNetSaveOptions { Task = "regression", LabelColumn = "Label", InputColumns = names });
    }

    private static async Task WriteParquetAsync(string path, int rows)
    {
        var fields = Enumerable.Range(0, Features).Select(f => new DataField<double>($"f{f}")).ToArray();
        var schema = new ParquetSchema(fields);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        var rng = new Random(3);
        const int group = 100_000;
        for (var start = 0; start < rows; start += group)
        {
            var n = Math.Min(group, rows - start);
            using var rg = writer.CreateRowGroup();
            foreach (var field in fields)
            {
                var values = new double[n];
                for (var i = 0; i < n; i++)
                {
                    values[i] = rng.NextDouble();
                }

                await rg.WriteAsync(field, (ReadOnlyMemory<double>)values, null, null, default);
            }
        }
    }

    private static double PeakRssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return -1;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class Row
    {
        public float[] F { get; set; } = [];

        public float Label { get; set; }
    }

    /// <summary>ML.NET needs one named column per feature for the package's input schema.</summary>
    private sealed class Flat(Row r)
    {
        public float f0 { get; set; } = r.F[0];
        public float f1 { get; set; } = r.F[1];
        public float f2 { get; set; } = r.F[2];
        public float f3 { get; set; } = r.F[3];
        public float f4 { get; set; } = r.F[4];
        public float f5 { get; set; } = r.F[5];
        public float f6 { get; set; } = r.F[6];
        public float f7 { get; set; } = r.F[7];
        public float f8 { get; set; } = r.F[8];
        public float f9 { get; set; } = r.F[9];
        public float Label { get; set; } = r.Label;
    }
}
