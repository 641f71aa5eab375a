namespace Keel.Core.Monitoring;

/// <summary>Per-endpoint monitoring settings.</summary>
/// <param name="Endpoint">The endpoint's name.</param>
/// <param name="Reference">
/// An explicit reference dataset version (<c>datasets:/NAME/VERSION</c>, resolved when set) used
/// instead of each model version's training dataset; null for the training dataset.
/// </param>
/// <param name="Drift">Drift options as JSON (<c>method</c>, <c>threshold</c>, <c>per_column</c>, <c>drift_share</c>), or null for the automatic choice.</param>
/// <param name="UpdatedAt">When the settings were last set.</param>
public sealed record MonitoringSettings(string Endpoint, string? Reference, string? Drift, DateTimeOffset UpdatedAt);
