using Keel.Core.Errors;
using Keel.ML.Data;
using Keel.ML.Manifest;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.ML.Onnx;

/// <summary>
/// An ONNX model scored by ONNX Runtime, loaded from a model directory logged by
/// <c>mlflow.onnx.log_model</c> without change. <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so one session serves every caller.
/// </summary>
internal sealed class OnnxModel : IModel
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public OnnxModel(string directory, ModelManifest manifest, OnnxFlavor flavor)
    {
        Manifest = manifest;
        var path = Path.Combine(directory, flavor.Data);
        if (!File.Exists(path))
        {
            throw KeelException.NotFound($"ONNX model file '{path}' does not exist.");
        }

        using var options = new SessionOptions();
        _session = new InferenceSession(path, options);
        _inputNames = [.. _session.InputNames];
        _outputNames = [.. _session.OutputNames];
        InputColumns = manifest.Signature is { Inputs.IsTensorBased: false } s ? s.Inputs.Columns : [];
    }

    public ModelManifest Manifest { get; }

    public ModelSignature? Signature => Manifest.Signature;

    public IReadOnlyList<ColumnSpec> InputColumns { get; }

    public PredictionResult Predict(ColumnBatch input)
    {
        var rows = input.RowCount;
        var values = new List<OrtValue>(_inputNames.Length);
        try
        {
            foreach (var name in _inputNames)
            {
                values.Add(CreateInput(name, input));
            }

            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, _inputNames, values, _outputNames);
            var outputs = new List<PredictionOutput>(_outputNames.Length);
            for (var i = 0; i < _outputNames.Length; i++)
            {
                outputs.Add(OnnxOutputReader.Read(_outputNames[i], results[i], rows, _outputNames.Length));
            }

            return new PredictionResult(rows, outputs);
        }
        catch (OnnxRuntimeException ex)
        {
            throw KeelException.InvalidParameter($"ONNX Runtime rejected the input: {ex.Message}");
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();

    private OrtValue CreateInput(string name, ColumnBatch input)
    {
        var meta = _session.InputMetadata[name];
        var dims = meta.Dimensions;
        var width = 1;
        for (var d = 1; d < dims.Length; d++)
        {
            width *= Math.Max(dims[d], 1);
        }

        var column = input.Find(name);
        if (column is null && _inputNames.Length == 1)
        {
            column = input.Columns.Count == 1 && input.Columns[0].Width == width && width > 1
                ? input.Columns[0]
                : Stack(input, width);
        }

        if (column is null)
        {
            throw KeelException.InvalidParameter($"Missing input '{name}' required by the ONNX model.");
        }

        if (column.Width != width)
        {
            throw KeelException.InvalidParameter(
                $"Input '{name}' has shape (-1, {column.Width}) but the model expects ({string.Join(", ", dims)}).");
        }

        var shape = new long[Math.Max(dims.Length, 1)];
        shape[0] = column.RowCount;
        for (var d = 1; d < dims.Length; d++)
        {
            shape[d] = Math.Max(dims[d], 1);
        }

        var type = meta.ElementDataType;
        return type switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(ColumnConvert.ToFloat(column), shape),
            TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(ColumnConvert.ToDouble(column), shape),
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(ColumnConvert.ToLong(column), shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(ColumnConvert.ToLong(column), x => (int)x), shape),
            TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory(ColumnConvert.ToBool(column), shape),
            TensorElementType.String => OrtValue.CreateFromStringTensor(new DenseTensor<string>(ColumnConvert.ToStrings(column).Select(s => s ?? string.Empty).ToArray(), Array.ConvertAll(shape, x => (int)x))),
            _ => throw KeelException.InvalidParameter($"Input '{name}' has element type {type}, which Keel does not feed yet."),
        };
    }

    /// <summary>
    /// Stacks tabular columns into the one [-1, N] input tensor: the signature's columns in
    /// signature order when there is a column signature, otherwise every numeric column in order.
    /// </summary>
    private BatchColumn Stack(ColumnBatch input, int width)
    {
        IReadOnlyList<BatchColumn> sources = InputColumns.Count > 0
            ? InputValidator.EnforceColumns(input, InputColumns).Columns
            : [.. input.Columns.Where(c => c.Kind != ColumnKind.String && c.Width == 1)];
        if (sources.Count != width)
        {
            throw KeelException.InvalidParameter(
                $"The model takes {width} numeric features but the input has {sources.Count} numeric columns ({string.Join(", ", sources.Select(c => c.Name))}).");
        }

        var rows = input.RowCount;
        var data = new float[rows * width];
        for (var j = 0; j < width; j++)
        {
            var col = ColumnConvert.ToFloat(sources[j]);
            for (var i = 0; i < rows; i++)
            {
                data[(i * width) + j] = col[i];
            }
        }

        return BatchColumn.Of(string.Empty, data, width);
    }
}
