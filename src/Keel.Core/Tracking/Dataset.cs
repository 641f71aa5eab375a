namespace Keel.Core.Tracking;

/// <summary>A dataset reference logged as a run input (MLflow's Dataset entity).</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Digest">Content digest; with the name it identifies the dataset within an experiment.</param>
/// <param name="SourceType">Kind of source, e.g. <c>local</c>, <c>s3</c>, <c>http</c>.</param>
/// <param name="Source">JSON describing where the data is.</param>
/// <param name="Schema">JSON schema of the data, or null.</param>
/// <param name="Profile">JSON profile (e.g. row count), or null.</param>
public sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

/// <summary>A dataset used by a run, with input tags such as <c>mlflow.data.context</c>.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Tags">Input tags.</param>
public sealed record DatasetInput(Dataset Dataset, IReadOnlyList<Tag> Tags);
