using Keel.Cli.Commands.Deploy;
using Keel.Core.Serving;

namespace Keel.Cli.Tests.Deploy;

/// <summary>An endpoint in canary with an alias route, already resolved, and the manifests built from it.</summary>
internal static class DeployFixtures
{
    public static ResolvedEndpoint Canary()
    {
        var endpoint = new Endpoint(
            "churn_scorer", "prod", EndpointMode.Canary,
            [new Route("models:/churn/3", 90, RouteRole.Primary), new Route("models:/churn/4", 10, RouteRole.Challenger)],
            new RolloutPolicy(), EndpointLimits.Default, null, null, [], 1_700_000_000_000, 1_700_000_000_000);
        return new ResolvedEndpoint(endpoint,
        [
            new ResolvedRoute("models:/churn@champion", "models:/churn/3", "mlflow-artifacts:/1/abc/artifacts/model"),
            new ResolvedRoute("models:/churn/4", "models:/churn/4", "mlflow-artifacts:/1/def/artifacts/model"),
        ]);
    }

    public static KubernetesSettings Settings(KubernetesOptionValues? values = null, string endpoint = "churn_scorer") =>
        KubernetesSettingsParser.Parse(endpoint, values ?? new KubernetesOptionValues(), "keel:0.1.0");

    /// <summary>Every optional setting given, so every optional branch of the builder is in the YAML.</summary>
    public static KubernetesOptionValues Everything(string format = "kubernetes") => new()
    {
        Format = format,
        Namespace = "ml-serving",
        Image = "registry.example.com:5000/team/keel:0.1.0",
        Replicas = 3,
        MinReplicas = 2,
        MaxReplicas = 8,
        TargetCpuUtilization = 60,
        Cpu = "1.5",
        Memory = "1Gi",
        CpuLimit = "2",
        MemoryLimit = "2Gi",
        Port = 9000,
        ServiceType = "LoadBalancer",
        BackendStoreSecret = "keel-db",
        ArtifactsDestination = "s3://models/keel",
        S3CredentialsSecret = "keel-s3",
        S3EndpointUrl = "http://minio.storage:9000",
        AllowedHosts = "keel.example.com,*.internal.example.com",
    };
}
