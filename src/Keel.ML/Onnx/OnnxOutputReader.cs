using Keel.Core.Errors;
using Keel.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.ML.Onnx;

/// <summary>Turns ONNX Runtime outputs into prediction columns: tensors and skl2onnx's ZipMap sequences of maps.</summary>
internal static class OnnxOutputReader
{
    public static PredictionOutput Read(string name, OrtValue value, int rows, int outputCount)
    {
        if (value.OnnxType == OnnxValueType.ONNX_TYPE_SEQUENCE)
        {
            return ReadSequenceOfMaps(name, value, rows);
        }

        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new KeelException($"ONNX output '{name}' is a {value.OnnxType}, which Keel does not read.");
        }

        var info = value.GetTensorTypeAndShape();
        var width = rows == 0 ? 1 : (int)Math.Max(1, info.ElementCount / rows);
        BatchColumn column = info.ElementDataType switch
        {
            TensorElementType.Float => BatchColumn.Of(name, value.GetTensorDataAsSpan<float>().ToArray(), width),
            TensorElementType.Double => BatchColumn.Of(name, value.GetTensorDataAsSpan<double>().ToArray(), width),
            TensorElementType.Int64 => BatchColumn.Of(name, value.GetTensorDataAsSpan<long>().ToArray(), width),
            TensorElementType.Int32 => BatchColumn.Of(name, ToLong(value.GetTensorDataAsSpan<int>()), width),
            TensorElementType.Bool => BatchColumn.Of(name, value.GetTensorDataAsSpan<bool>().ToArray(), width),
            TensorElementType.String => BatchColumn.Of(name, value.GetStringTensorAsArray(), width),
            _ => throw new KeelException($"ONNX output '{name}' has element type {info.ElementDataType}, which Keel does not read."),
        };

        return new PredictionOutput(column, RoleOf(name, outputCount, isSequence: false), shape: info.Shape);
    }

    private static PredictionRole RoleOf(string name, int outputCount, bool isSequence)
    {
        // skl2onnx names classifier outputs label/probabilities (output_label/output_probability with ZipMap);
        // a single output, such as a regressor's "variable", is the prediction.
        if (outputCount == 1 || name is "label" or "output_label")
        {
            return PredictionRole.Prediction;
        }

        return isSequence || name is "probabilities" or "output_probability" ? PredictionRole.Probabilities : PredictionRole.Other;
    }

    private static long[] ToLong(ReadOnlySpan<int> span)
    {
        var r = new long[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            r[i] = span[i];
        }

        return r;
    }

    /// <summary>
    /// Reads ZipMap's seq(map(int64|string, float)): one map per row with the same keys, which
    /// become the slot names of a [-1, C] probability column.
    /// </summary>
    private static PredictionOutput ReadSequenceOfMaps(string name, OrtValue value, int rows)
    {
        var allocator = OrtAllocator.DefaultInstance;
        var count = value.GetValueCount();
        float[]? data = null;
        string[]? slots = null;
        for (var i = 0; i < count; i++)
        {
            using var map = value.GetValue(i, allocator);
            using var keys = map.GetValue(0, allocator);
            using var vals = map.GetValue(1, allocator);
            var keyType = keys.GetTensorTypeAndShape().ElementDataType;
            var probs = vals.GetTensorDataAsSpan<float>();
            if (slots is null)
            {
                slots = keyType == TensorElementType.String
                    ? keys.GetStringTensorAsArray()
                    : Array.ConvertAll(keys.GetTensorDataAsSpan<long>().ToArray(), k => k.ToString(System.Globalization.CultureInfo.InvariantCulture));
                data = new float[count * slots.Length];
            }

            probs.CopyTo(data.AsSpan(i * slots.Length, slots.Length));
        }

        var width = Math.Max(slots?.Length ?? 1, 1);
        var column = BatchColumn.Of(name, data ?? new float[rows], width);
        return new PredictionOutput(column, PredictionRole.Probabilities, slots);
    }
}
