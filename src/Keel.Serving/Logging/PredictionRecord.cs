using Keel.ML;
using Keel.ML.Data;

namespace Keel.Serving.Logging;

/// <summary>
/// One scored request as queued for the prediction log. It holds references to the request's
/// batch and result (both immutable once scored), so enqueueing costs no serialisation: the
/// writer thread does that.
/// </summary>
internal readonly record struct PredictionRecord(
    long Timestamp,
    string RequestId,
    string Endpoint,
    string Version,
    string Role,
    long LatencyMicros,
    ColumnBatch Inputs,
    PredictionResult? Outputs,
    string? Error);
