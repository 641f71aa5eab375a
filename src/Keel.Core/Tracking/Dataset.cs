namespace Keel.Core.Tracking;

/// <summary>A dataset reference logged as a run input (MLflow's Dataset entity).</summary>
public sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

/// <summary>A dataset used by a run, with input tags such as <c>mlflow.data.context</c>.</summary>
public sealed record DatasetInput(Dataset Dataset, IReadOnlyList<Tag> Tags);
