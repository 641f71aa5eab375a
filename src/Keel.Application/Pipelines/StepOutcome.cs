namespace Keel.Application.Pipelines;

/// <summary>What a step produced.</summary>
/// <param name="Outputs">Its outputs by name (URIs or values).</param>
/// <param name="Metrics">Figures logged to the step's MLflow run.</param>
public sealed record StepOutcome(IReadOnlyDictionary<string, string> Outputs, IReadOnlyDictionary<string, double>? Metrics = null);
