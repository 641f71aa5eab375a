namespace Keel.Core.Monitoring;

/// <summary>A logged prediction as indexed for label joins: which bucket and version it belongs to and what it answered.</summary>
/// <param name="RequestId">The request's id, the join key of labels.</param>
/// <param name="BucketStart">Start of the bucket the prediction was scored in (labels count there, not when they arrive).</param>
/// <param name="Version">The model version that answered.</param>
/// <param name="Predicted">The answer as JSON (one value, or an array for a request of several rows).</param>
/// <param name="Scores">Class probabilities or scores as JSON, when the model gives them; else null.</param>
public sealed record LoggedPrediction(string RequestId, DateTimeOffset BucketStart, string Version, string Predicted, string? Scores);
