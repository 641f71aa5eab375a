namespace Keel.Storage.Sqlite;

/// <summary>Artifact locations as MLflow builds them: {root}/{experiment_id} and {experiment}/{run_id}/artifacts.</summary>
internal static class ArtifactPaths
{
    public static string ForExperiment(string root, string experimentId) => $"{root.TrimEnd('/')}/{experimentId}";

    public static string ForRun(string experimentLocation, string runId) => $"{experimentLocation.TrimEnd('/')}/{runId}/artifacts";
}
