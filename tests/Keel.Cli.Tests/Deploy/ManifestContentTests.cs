using System.Text.Json.Nodes;
using Keel.Cli.Commands.Deploy;

namespace Keel.Cli.Tests.Deploy;

/// <summary>What the manifests say: pinned versions, secrets by reference, probes and autoscaling as asked.</summary>
public sealed class ManifestContentTests
{
    [Fact]
    public void The_config_map_holds_the_pinned_versions_not_the_alias()
    {
        var configMap = Manifest(new KubernetesOptionValues(), "ConfigMap");
        var spec = JsonNode.Parse((string)configMap["data"]!["endpoint.json"]!)!;
        Assert.Equal(["models:/churn/3", "models:/churn/4"], spec["routes"]!.AsArray().Select(r => (string?)r!["model_uri"]));
        Assert.Equal([90L, 10L], spec["routes"]!.AsArray().Select(r => (long)r!["weight"]!));
        Assert.Equal("canary", (string?)spec["mode"]);
        Assert.DoesNotContain("@champion", (string)configMap["data"]!["endpoint.json"]!, StringComparison.Ordinal);

        var resolution = JsonNode.Parse((string)configMap["data"]!["resolution.json"]!)!.AsArray();
        Assert.Equal("models:/churn@champion", (string?)resolution[0]!["requested_uri"]);
        Assert.Equal("models:/churn/3", (string?)resolution[0]!["pinned_uri"]);
    }

    [Fact]
    public void A_new_pinned_version_changes_the_pod_template_so_replicas_roll()
    {
        var settings = DeployFixtures.Settings();
        var before = DeployFixtures.Canary();
        var after = before with { Endpoint = before.Endpoint with { Routes = [before.Endpoint.Routes[0] with { ModelUri = "models:/churn/5" }, before.Endpoint.Routes[1]] } };
        string Hash(ResolvedEndpoint e) => (string)KubernetesManifests.Build(e, settings).Single(f => f.Kind == "Deployment").Document
            .Let(d => YamlJson.Convert(Yaml.Write(d))!)["spec"]!["template"]!["metadata"]!["annotations"]!["keel.dev/endpoint-spec-sha256"]!;
        Assert.NotEqual(Hash(before), Hash(after));
        Assert.Equal(Hash(before), Hash(DeployFixtures.Canary()));
    }

    [Theory]
    [InlineData("kubernetes", "Deployment")]
    [InlineData("kserve", "InferenceService")]
    public void Secrets_are_referenced_by_name_never_inlined(string format, string kind)
    {
        var manifest = Manifest(DeployFixtures.Everything(format), kind);
        var container = Container(manifest);
        var env = container["env"]!.AsArray();
        var backend = env.Single(e => (string?)e!["name"] == "KEEL_BACKEND_STORE_URI")!;
        Assert.Null(backend["value"]);
        Assert.Equal("keel-db", (string?)backend["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.Equal("backend-store-uri", (string?)backend["valueFrom"]!["secretKeyRef"]!["key"]);
        Assert.Equal("keel-s3", (string?)container["envFrom"]![0]!["secretRef"]!["name"]);
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal("$(KEEL_BACKEND_STORE_URI)", args[args.IndexOf("--backend-store-uri") + 1]);
        Assert.Equal("s3://models/keel", args[args.IndexOf("--artifacts-destination") + 1]);
        // The replica applies the ConfigMap's pinned spec at start, from where the volume mounts it.
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string)m!["name"]! == "endpoint-spec")!;
        Assert.Equal((string)mount["mountPath"]! + "/endpoint.json", args[args.IndexOf("--endpoint-spec") + 1]);
        Assert.Equal("http://minio.storage:9000", (string?)env.Single(e => (string?)e!["name"] == "MLFLOW_S3_ENDPOINT_URL")!["value"]);
    }

    [Fact]
    public void The_deployment_probes_health_and_the_endpoints_v2_ready_route()
    {
        var deployment = Manifest(new KubernetesOptionValues(), "Deployment");
        var container = Container(deployment);
        Assert.Equal("/health", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/v2/models/churn_scorer/ready", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal(8080, (long)container["readinessProbe"]!["httpGet"]!["port"]!);
        Assert.Equal("500m", (string?)container["resources"]!["requests"]!["cpu"]);
        Assert.Equal("512Mi", (string?)container["resources"]!["limits"]!["memory"]);
        Assert.Equal("keel:0.1.0", (string?)container["image"]);
        Assert.Equal(2, (long)deployment["spec"]!["replicas"]!);
        Assert.Equal("keel-churn-scorer", (string?)deployment["metadata"]!["name"]);
        // Kubelet probes by pod IP and clients come by the Service's names; both must pass the Host check.
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToList();
        var hosts = args[args.IndexOf("--allowed-hosts") + 1].Split(',');
        Assert.Contains("$(POD_IP)", hosts);
        Assert.Contains("keel-churn-scorer.default.svc.cluster.local", hosts);
        Assert.Equal("0.0.0.0", args[args.IndexOf("--host") + 1]);
    }

    [Fact]
    public void The_autoscaler_and_service_follow_the_options()
    {
        var values = DeployFixtures.Everything();
        var hpa = Manifest(values, "HorizontalPodAutoscaler");
        Assert.Equal(2, (long)hpa["spec"]!["minReplicas"]!);
        Assert.Equal(8, (long)hpa["spec"]!["maxReplicas"]!);
        Assert.Equal(60, (long)hpa["spec"]!["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]!);
        Assert.Equal("keel-churn-scorer", (string?)hpa["spec"]!["scaleTargetRef"]!["name"]);
        var service = Manifest(values, "Service");
        Assert.Equal("LoadBalancer", (string?)service["spec"]!["type"]);
        Assert.Equal("ml-serving", (string?)service["metadata"]!["namespace"]);
        var deployment = Manifest(values, "Deployment");
        Assert.Equal(3, (long)deployment["spec"]!["replicas"]!);
        Assert.Equal(9000, (long)Container(deployment)["ports"]![0]!["containerPort"]!);
        var hosts = Container(deployment)["args"]!.AsArray().Select(a => (string)a!).SkipWhile(a => a != "--allowed-hosts").ElementAt(1);
        Assert.EndsWith("keel.example.com,*.internal.example.com", hosts, StringComparison.Ordinal);
    }

    [Fact]
    public void The_inference_service_runs_the_server_as_kserve_container_with_the_replica_bounds()
    {
        var isvc = Manifest(DeployFixtures.Everything("kserve"), "InferenceService");
        var predictor = isvc["spec"]!["predictor"]!;
        Assert.Equal(2, (long)predictor["minReplicas"]!);
        Assert.Equal(8, (long)predictor["maxReplicas"]!);
        Assert.Equal("kserve-container", (string?)Container(isvc)["name"]);
        Assert.Contains("keel-churn-scorer-predictor.ml-serving.svc.cluster.local", (string)Container(isvc)["args"]!.AsArray().Select(a => (string)a!).SkipWhile(a => a != "--allowed-hosts").ElementAt(1), StringComparison.Ordinal);
    }

    private static JsonNode Manifest(KubernetesOptionValues values, string kind) =>
        ManifestSchemaTests.Manifests(values).Single(m => (string?)m["kind"] == kind);

    private static JsonNode Container(JsonNode manifest) =>
        (string?)manifest["kind"] == "InferenceService"
            ? manifest["spec"]!["predictor"]!["containers"]![0]!
            : manifest["spec"]!["template"]!["spec"]!["containers"]![0]!;
}

internal static class LetExtension
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}
