namespace Keel.Core.Tracking;

/// <summary>
/// A dataset some run of an experiment used, with the context it was used in (the input's
/// <c>mlflow.data.context</c> tag, e.g. <c>training</c>; null when the input has none). MLflow's UI
/// lists these in its dataset filter.
/// </summary>
public sealed record DatasetSummary(string ExperimentId, string Name, string Digest, string? Context);
