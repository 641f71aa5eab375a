using Keel.Core.Artifacts;

namespace Keel.Storage;

/// <summary>Artifact locations as MLflow builds them: {root}/{experiment_id} and {experiment}/{run_id}/artifacts.</summary>
internal static class ArtifactPaths
{
    public static string ForExperiment(string root, string experimentId) => ArtifactUri.Parse(root).Append(experimentId);

    public static string ForRun(string experimentLocation, string runId) => ArtifactUri.Parse(experimentLocation).Append($"{runId}/artifacts");
}
