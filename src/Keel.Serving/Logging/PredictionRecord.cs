using Keel.ML;
using Keel.ML.Data;

namespace Keel.Serving.Logging;

/// <summary>
/// One scored request as queued for the prediction log. It holds references to the request's
/// batch and result (both immutable once scored), so enqueueing costs no serialisation: the
/// writer thread does that. <see cref="Sensitive"/> is the endpoint's <c>sensitive_columns</c>, applied by
/// the writer (<see cref="PredictionLogProtection"/>).
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
    string? Error,
    IReadOnlyDictionary<string, Keel.Core.Serving.SensitiveColumnMode>? Sensitive = null);
