namespace Keel.Core.Monitoring;

/// <summary>A logged prediction joined with its label.</summary>
/// <param name="RequestId">The request's id.</param>
/// <param name="Version">The model version that answered.</param>
/// <param name="Predicted">The answer as JSON.</param>
/// <param name="Scores">Class probabilities or scores as JSON, or null.</param>
/// <param name="Label">The label as JSON.</param>
public sealed record LabeledPrediction(string RequestId, string Version, string Predicted, string? Scores, string Label);
