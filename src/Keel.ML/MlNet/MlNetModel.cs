using Keel.Core.Errors;
using Keel.ML.Data;
using Keel.ML.Manifest;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.ML.MlNet;

/// <summary>
/// An ML.NET model scored with the batch <see cref="ITransformer.Transform"/> over a columnar view,
/// not a PredictionEngine per row. Thread safety: the fitted transformer is immutable and every
/// call builds its own view, cursors and buffers, so there is no per-thread state to pool; large
/// batches are cut into slices scored in parallel.
/// </summary>
internal sealed class MlNetModel : IModel
{
    private const int ParallelSliceRows = 16_384;

    private readonly ITransformer _transformer;
    private readonly DataViewSchema _savedSchema;
    private readonly MlNetFlavor _flavor;
    private readonly string[]? _classNames;
    private readonly TreeEnsembleFastPath? _fastPath;

    static MlNetModel()
    {
        // ML.NET resolves a saved model's components among the assemblies loaded in the process; a
        // server or `keel predict` never trains, so load the tree learners' assembly up front.
        _ = typeof(Microsoft.ML.Trainers.FastTree.FastTreeRegressionTrainer).Assembly;
    }

    public MlNetModel(string directory, ModelManifest manifest, MlNetFlavor flavor)
    {
        Manifest = manifest;
        _flavor = flavor;
        var path = Path.Combine(directory, flavor.Data);
        if (!File.Exists(path))
        {
            throw KeelException.NotFound($"ML.NET model file '{path}' does not exist.");
        }

        var context = new MLContext();
        _transformer = context.Model.Load(path, out var saved);
        _savedSchema = saved ?? throw new KeelException($"ML.NET model '{path}' was saved without its input schema.");
        InputColumns = flavor.InputSchema;

        if (flavor.LabelValues.Count > 0)
        {
            _classNames = [.. flavor.LabelValues];
        }
        else if (flavor.Task == "multiclass")
        {
            _classNames = ScoreSlotNames(_transformer.GetOutputSchema(_savedSchema));
        }

        _fastPath = flavor.Task == "regression" ? TreeEnsembleFastPath.TryCreate(_transformer, _savedSchema, PredictGeneral) : null;
    }

    public ModelManifest Manifest { get; }

    /// <summary>True when rows are scored by <see cref="TreeEnsembleFastPath"/> rather than an ML.NET view.</summary>
    internal bool UsesTreeFastPath => _fastPath is not null;

    public ModelSignature? Signature => Manifest.Signature;

    public IReadOnlyList<ColumnSpec> InputColumns { get; }

    public PredictionResult Predict(ColumnBatch input) => _fastPath?.Predict(input) ?? PredictGeneral(input);

    private PredictionResult PredictGeneral(ColumnBatch input)
    {
        var rows = input.RowCount;
        var arrays = BuildInputArrays(input, rows);
        var sink = MlNetOutputSink.Create(_flavor.Task, rows, _classNames);

        if (rows <= ParallelSliceRows)
        {
            ScoreSlice(arrays, 0, rows, sink);
        }
        else
        {
            var slices = (rows + ParallelSliceRows - 1) / ParallelSliceRows;
            Parallel.For(0, slices, s =>
            {
                var start = s * ParallelSliceRows;
                ScoreSlice(arrays, start, Math.Min(ParallelSliceRows, rows - start), sink);
            });
        }

        return sink.ToResult();
    }

    public void Dispose()
    {
        (_transformer as IDisposable)?.Dispose();
    }

    internal static string[]? ScoreSlotNames(DataViewSchema output)
    {
        var score = output.GetColumnOrNull("Score");
        if (score is not { } col || col.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
        {
            return null;
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        col.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private Array[] BuildInputArrays(ColumnBatch input, int rows)
    {
        // Columns the model was trained with but does not need to predict (the label, a weight)
        // are fed defaults, because pipelines such as MapValueToKey(Label) still ask for them.
        var declared = new HashSet<string>(_flavor.InputSchema.Select(c => c.Name ?? string.Empty), StringComparer.Ordinal);
        var arrays = new Array[_savedSchema.Count];
        foreach (var col in _savedSchema)
        {
            BatchColumn? source = null;
            if (declared.Contains(col.Name))
            {
                source = input.Find(col.Name) ?? throw KeelException.InvalidParameter($"Missing column '{col.Name}' required by the model.");
                if (source.Width != 1)
                {
                    throw KeelException.InvalidParameter($"Column '{col.Name}' must hold one value per row, not {source.Width}.");
                }
            }

            arrays[col.Index] = MlNetTypes.ToArray(col.Type, source, rows, col.Name);
        }

        return arrays;
    }

    private void ScoreSlice(Array[] arrays, int offset, int count, MlNetOutputSink sink)
    {
        var view = new ColumnBatchDataView(_savedSchema, arrays, offset, count);
        var output = _transformer.Transform(view);
        sink.Fill(output, offset);
    }
}
