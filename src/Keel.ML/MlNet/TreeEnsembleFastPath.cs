using Keel.Core.Errors;
using Keel.ML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Keel.ML.MlNet;

/// <summary>
/// A direct evaluator for the commonest tree regressor pipeline, Concatenate(Features, columns...)
/// followed by a FastTree regression ensemble: the trees are flattened into arrays at load and a
/// row is scored by walking them, which costs about a microsecond where building an ML.NET data
/// view per call costs hundreds (online serving scores one row at a time). It is only used when
/// it reproduces ML.NET's own scores on probe rows at load; otherwise the model keeps the general path.
/// </summary>
internal sealed class TreeEnsembleFastPath
{
    private const int SliceRows = 16_384;

    private readonly string[] _columns;
    private readonly int[] _treeRoots;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leafValues;
    private readonly int[] _leafOffset;
    private readonly double[] _treeWeight;
    private readonly double _bias;

    private TreeEnsembleFastPath(string[] columns, RegressionTreeEnsemble ensemble)
    {
        _columns = columns;
        var trees = ensemble.Trees;
        _treeRoots = new int[trees.Count];
        _leafOffset = new int[trees.Count];
        _treeWeight = [.. ensemble.TreeWeights];
        _bias = ensemble.Bias;
        var nodes = trees.Sum(t => t.NumberOfNodes);
        _feature = new int[nodes];
        _threshold = new float[nodes];
        _left = new int[nodes];
        _right = new int[nodes];
        _leafValues = new double[trees.Sum(t => t.NumberOfLeaves)];
        int node = 0, leaf = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            _treeRoots[t] = node;
            _leafOffset[t] = leaf;
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                _feature[node + n] = tree.NumericalSplitFeatureIndexes[n];
                _threshold[node + n] = tree.NumericalSplitThresholds[n];
                // Children >= 0 are nodes of this tree; negative ones are ~leaf.
                _left[node + n] = tree.LeftChild[n] >= 0 ? node + tree.LeftChild[n] : tree.LeftChild[n];
                _right[node + n] = tree.RightChild[n] >= 0 ? node + tree.RightChild[n] : tree.RightChild[n];
            }

            for (var l = 0; l < tree.NumberOfLeaves; l++)
            {
                _leafValues[leaf + l] = tree.LeafValues[l];
            }

            // A one-leaf tree has no nodes; its root is its leaf.
            if (tree.NumberOfNodes == 0)
            {
                _treeRoots[t] = -1;
            }

            node += tree.NumberOfNodes;
            leaf += tree.NumberOfLeaves;
        }
    }

    /// <summary>The fast path for a supported pipeline whose scores match ML.NET's on probe rows, else null.</summary>
    public static TreeEnsembleFastPath? TryCreate(ITransformer transformer, DataViewSchema inputSchema, Func<ColumnBatch, PredictionResult> reference)
    {
        try
        {
            if (transformer is not TransformerChain<ITransformer> chain)
            {
                return null;
            }

            var parts = chain.ToList();
            if (parts is not [ColumnConcatenatingTransformer concat, RegressionPredictionTransformer<FastTreeRegressionModelParameters> regressor]
                || concat.GetOutputSchema(inputSchema).GetColumnOrNull("Features") is not { } featuresColumn
                || featuresColumn.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
            {
                return null;
            }

            // Concatenated scalar columns name their slots after themselves; the probe check below
            // rejects anything else (a vector input, a renamed slot).
            VBuffer<ReadOnlyMemory<char>> slots = default;
            featuresColumn.GetSlotNames(ref slots);
            string[] names = [.. slots.DenseValues().Select(n => n.ToString())];
            if (names.Any(n => inputSchema.GetColumnOrNull(n) is not { Type: NumberDataViewType }))
            {
                return null;
            }

            var ensemble = regressor.Model.TrainedTreeEnsemble;
            if (ensemble.Trees.Any(t => t.CategoricalSplitFlags.Any(f => f)))
            {
                return null;
            }

            var fast = new TreeEnsembleFastPath(names, ensemble);
            return fast.Agrees(reference) ? fast : null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeelException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Scores a batch; the same output as the ML.NET sink for a regression task.</summary>
    public PredictionResult Predict(ColumnBatch input)
    {
        var rows = input.RowCount;
        var width = _columns.Length;
        var columns = new float[width][];
        for (var c = 0; c < width; c++)
        {
            var column = input.Find(_columns[c]) ?? throw KeelException.InvalidParameter($"Missing column '{_columns[c]}' required by the model.");
            if (column.Width != 1)
            {
                throw KeelException.InvalidParameter($"Column '{column.Name}' must hold one value per row, not {column.Width}.");
            }

            columns[c] = column.Data as float[] ?? ColumnConvert.ToFloat(column);
        }

        var scores = new float[rows];
        if (rows <= SliceRows)
        {
            ScoreRows(columns, scores, 0, rows);
        }
        else
        {
            // Large batches (files) are scored in slices on all cores; rows are independent.
            Parallel.For(0, (rows + SliceRows - 1) / SliceRows, s => ScoreRows(columns, scores, s * SliceRows, Math.Min(SliceRows, rows - (s * SliceRows))));
        }

        return new PredictionResult(rows, [new PredictionOutput(BatchColumn.Of("prediction", scores), PredictionRole.Prediction)]);
    }

    private void ScoreRows(float[][] columns, float[] scores, int start, int count)
    {
        var width = columns.Length;
        Span<float> row = width <= 256 ? stackalloc float[width] : new float[width];
        for (var r = start; r < start + count; r++)
        {
            for (var c = 0; c < width; c++)
            {
                row[c] = columns[c][r];
            }

            scores[r] = (float)Score(row);
        }
    }

    private double Score(ReadOnlySpan<float> row)
    {
        var sum = _bias;
        for (var t = 0; t < _treeRoots.Length; t++)
        {
            var node = _treeRoots[t];
            if (node < 0)
            {
                sum += _treeWeight[t] * _leafValues[_leafOffset[t]];
                continue;
            }

            // ML.NET's rule: go left when the value is at most the threshold (NaN goes right).
            while (node >= 0)
            {
                node = row[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
            }

            sum += _treeWeight[t] * _leafValues[_leafOffset[t] + ~node];
        }

        return sum;
    }

    private bool Agrees(Func<ColumnBatch, PredictionResult> reference)
    {
        // Probe rows spread over each feature's split thresholds, so every branch direction is exercised.
        var rnd = new Random(17);
        const int Rows = 256;
        var columns = new List<BatchColumn>();
        for (var c = 0; c < _columns.Length; c++)
        {
            var thresholds = Enumerable.Range(0, _feature.Length).Where(n => _feature[n] == c).Select(n => _threshold[n]).DefaultIfEmpty(0f).ToArray();
            var values = new float[Rows];
            for (var r = 0; r < Rows; r++)
            {
                values[r] = thresholds[rnd.Next(thresholds.Length)] + (float)((rnd.NextDouble() - 0.5) * 0.01);
            }

            columns.Add(BatchColumn.Of(_columns[c], values));
        }

        var batch = new ColumnBatch(columns);
        var expected = (float[])reference(batch).Prediction!.Column.Data;
        var actual = (float[])Predict(batch).Prediction!.Column.Data;
        for (var i = 0; i < Rows; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > 1e-4 * Math.Max(1, Math.Abs(expected[i])))
            {
                return false;
            }
        }

        return true;
    }
}
