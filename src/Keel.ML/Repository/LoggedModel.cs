using Keel.Core.Registry;

namespace Keel.ML.Repository;

/// <summary>What logging a model produced (MLflow's <c>ModelInfo</c>).</summary>
/// <param name="RunId">The run the model was logged to.</param>
/// <param name="ArtifactPath">Its path under the run's artifacts, e.g. <c>model</c>.</param>
/// <param name="ModelUri">The model's URI, <c>runs:/&lt;run_id&gt;/&lt;artifact_path&gt;</c>.</param>
/// <param name="ArtifactUri">Where its files are: the run's artifact location plus the path, the source a registered version gets.</param>
/// <param name="ModelUuid">The <c>model_uuid</c> of its MLmodel.</param>
/// <param name="Version">The registered version, or null when the model was not registered.</param>
public sealed record LoggedModel(string RunId, string ArtifactPath, string ModelUri, string ArtifactUri, string ModelUuid, ModelVersion? Version);
