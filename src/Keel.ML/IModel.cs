using Keel.ML.Data;
using Keel.ML.Manifest;

namespace Keel.ML;

/// <summary>A loaded model, whatever its flavor. Implementations are safe to call from many threads.</summary>
public interface IModel : IDisposable
{
    /// <summary>The MLmodel manifest the model was loaded from.</summary>
    ModelManifest Manifest { get; }

    /// <summary>The signature, when the model was logged with one.</summary>
    ModelSignature? Signature { get; }

    /// <summary>
    /// The input columns the model reads, in order (for batch files: which columns to parse and how).
    /// Empty when the model takes a tensor that is not described column by column.
    /// </summary>
    IReadOnlyList<ColumnSpec> InputColumns { get; }

    /// <summary>Scores a batch. Input problems are <see cref="Keel.Core.Errors.ErrorCode.InvalidParameterValue"/> errors naming the column.</summary>
    PredictionResult Predict(ColumnBatch input);
}
