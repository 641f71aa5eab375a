using Keel.Core.Errors;
using Keel.ML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.ML.MlNet;

/// <summary>
/// Reads an ML.NET scorer's output columns (PredictedLabel, Score, Probability) into result arrays
/// preallocated for the whole batch; slices write disjoint ranges, so parallel fills need no lock.
/// </summary>
internal sealed class MlNetOutputSink
{
    private readonly string _task;
    private readonly string[]? _classes;
    private readonly float[]? _score;
    private readonly float[]? _probabilities;
    private readonly bool[]? _predictedLabel;
    private readonly int _width;
    private readonly int _rows;

    private MlNetOutputSink(string task, int rows, string[]? classes, int width)
    {
        _task = task;
        _rows = rows;
        _classes = classes;
        _width = width;
        if (task == "regression")
        {
            _score = new float[rows];
        }
        else
        {
            _probabilities = new float[rows * width];
            _predictedLabel = task == "binary" ? new bool[rows] : null;
        }
    }

    public static MlNetOutputSink Create(string task, int rows, string[]? classes) => task switch
    {
        "regression" => new MlNetOutputSink(task, rows, null, 1),
        "binary" => new MlNetOutputSink(task, rows, classes is { Length: 2 } ? classes : ["False", "True"], 2),
        "multiclass" when classes is { Length: > 0 } => new MlNetOutputSink(task, rows, classes, classes.Length),
        "multiclass" => throw new KeelException("A multiclass ML.NET model needs label_values or Score slot names."),
        _ => throw KeelException.InvalidParameter($"Unknown ML.NET task '{task}'."),
    };

    public void Fill(IDataView output, int offset)
    {
        var schema = output.Schema;
        var column = _task switch
        {
            "binary" => schema.GetColumnOrNull("Probability") ?? schema["Score"],
            _ => schema["Score"],
        };
        var isProbability = column.Name == "Probability";
        using var cursor = output.GetRowCursor([column]);
        if (_task == "multiclass")
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            var i = offset;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                buffer.GetValues().CopyTo(_probabilities.AsSpan(i * _width, _width));
                i++;
            }

            return;
        }

        if (_predictedLabel is not null)
        {
            FillBinaryLabels(output, offset);
        }

        var scalar = cursor.GetGetter<float>(column);
        float value = 0;
        var row = offset;
        while (cursor.MoveNext())
        {
            scalar(ref value);
            if (_score is not null)
            {
                _score[row] = value;
            }
            else
            {
                // Without calibration a binary model has only a margin; squash it so the column is still a probability.
                var p = isProbability ? value : 1f / (1f + MathF.Exp(-value));
                _probabilities![(row * 2) + 0] = 1f - p;
                _probabilities[(row * 2) + 1] = p;
            }

            row++;
        }
    }

    private void FillBinaryLabels(IDataView output, int offset)
    {
        // The binary decision is the raw score against the threshold, not the calibrated
        // probability against 0.5 (Platt scaling moves the midpoint), so it is read, not derived.
        var column = output.Schema["PredictedLabel"];
        using var cursor = output.GetRowCursor([column]);
        var getter = cursor.GetGetter<bool>(column);
        var value = false;
        var row = offset;
        while (cursor.MoveNext())
        {
            getter(ref value);
            _predictedLabel![row++] = value;
        }
    }

    public PredictionResult ToResult()
    {
        if (_score is not null)
        {
            return new PredictionResult(_rows, [new PredictionOutput(BatchColumn.Of("prediction", _score), PredictionRole.Prediction)]);
        }

        var labels = new string?[_rows];
        for (var i = 0; i < _rows; i++)
        {
            // A multiclass label is the arg-max of the class scores (ML.NET's own rule); mapping an index
            // to a shared class-name string costs no per-row allocation.
            var best = 0;
            if (_predictedLabel is not null)
            {
                best = _predictedLabel[i] ? 1 : 0;
            }
            else
            {
                var row = _probabilities.AsSpan(i * _width, _width);
                for (var k = 1; k < _width; k++)
                {
                    if (row[k] > row[best])
                    {
                        best = k;
                    }
                }
            }

            labels[i] = _classes![best];
        }

        return new PredictionResult(_rows,
        [
            new PredictionOutput(BatchColumn.Of("prediction", labels), PredictionRole.Prediction),
            new PredictionOutput(BatchColumn.Of("probabilities", _probabilities!, _width), PredictionRole.Probabilities, _classes, hiddenByDefault: true),
        ]);
    }
}
