namespace Keel.Server.Http;

/// <summary>MLflow serves every RPC under both /api and /ajax-api (the UI's spelling).</summary>
internal static class RoutePrefixes
{
    public static readonly string[] Tracking = ["/api/2.0/mlflow", "/ajax-api/2.0/mlflow"];

    public static readonly string[] Artifacts = ["/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts"];
}
