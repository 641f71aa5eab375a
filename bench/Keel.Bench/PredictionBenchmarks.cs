using BenchmarkDotNet.Attributes;
using Keel.ML;
using Keel.ML.Data;

namespace Keel.Bench;

/// <summary>
/// Prediction hot paths: one row in process (serving latency) and a 100k-row batch (batch
/// throughput; the target is ≥500k rows/s for 10 features through a 100-tree model). Point
/// KEEL_BENCH_MODEL at a model directory (e.g. one saved by ModelPackage.SaveMlNet with 100 trees
/// over columns f0..f9).
/// </summary>
[MemoryDiagnoser]
public class PredictionBenchmarks
{
    private const int Features = 10;
    private IModel _model = null!;
    private ColumnBatch _one = null!;
    private ColumnBatch _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dir = Environment.GetEnvironmentVariable("KEEL_BENCH_MODEL")
            ?? throw new InvalidOperationException("Set KEEL_BENCH_MODEL to a model directory with inputs f0..f9.");
        _model = ModelLoader.Load(dir);
        var rng = new Random(1);
        _one = Make(1, rng);
        _batch = Make(100_000, rng);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public PredictionResult SingleRow() => _model.Predict(_one);

    [Benchmark(OperationsPerInvoke = 100_000)]
    public PredictionResult Batch100k() => _model.Predict(_batch);

    private static ColumnBatch Make(int rows, Random rng) => new(Enumerable.Range(0, Features)
        .Select(f => BatchColumn.Of($"f{f}", Enumerable.Range(0, rows).Select(_ => rng.NextDouble()).ToArray())));
}
