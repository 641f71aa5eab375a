namespace Keel.ML.Manifest;

/// <summary>The <c>signature</c> section of an MLmodel file.</summary>
/// <param name="Inputs">What the model accepts.</param>
/// <param name="Outputs">What the model returns, when known.</param>
/// <param name="ParamsJson">MLflow's inference-params schema, kept verbatim as JSON text.</param>
public sealed record ModelSignature(SchemaSpec Inputs, SchemaSpec? Outputs = null, string? ParamsJson = null);
