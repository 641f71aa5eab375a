namespace Keel.Core.Predictions;

/// <summary>
/// One scored request as the prediction log stores it: the join key for delayed labels
/// (<paramref name="RequestId"/>), what was asked and what was answered. Inputs and outputs are kept
/// as JSON text because their columns differ from one model version to the next, and the log must
/// take every version of an endpoint without a schema change.
/// </summary>
/// <param name="Timestamp">When the request was scored, UTC, millisecond precision.</param>
/// <param name="RequestId">The request's id (the client's <c>x-request-id</c>, or one the server made up).</param>
/// <param name="Endpoint">The endpoint's name (letters, digits, '-', '_' and '.').</param>
/// <param name="Version">The model version that answered, e.g. <c>churn/3</c>.</param>
/// <param name="Role">The route that answered: <c>live</c>, <c>canary</c> or <c>shadow</c>.</param>
/// <param name="LatencyMicros">Scoring time in microseconds.</param>
/// <param name="Inputs">The request's columns as compact JSON: an object of column name to array of values.</param>
/// <param name="Outputs">The answer's columns as compact JSON in the same shape; null when scoring failed.</param>
/// <param name="Error">Why scoring failed; null when it succeeded.</param>
public sealed record PredictionLogRecord(
    DateTimeOffset Timestamp,
    string RequestId,
    string Endpoint,
    string Version,
    string Role,
    long LatencyMicros,
    string Inputs,
    string? Outputs,
    string? Error);
