using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Wire;
using static Keel.Cli.Commands.Deploy.Yaml;

namespace Keel.Cli.Commands.Deploy;

/// <summary>
/// Builds the manifests for serving replicas of one endpoint: the pinned spec as a ConfigMap, then
/// either Deployment + Service + HorizontalPodAutoscaler or a KServe InferenceService.
/// </summary>
internal static class KubernetesManifests
{
    public static IReadOnlyList<ManifestFile> Build(ResolvedEndpoint endpoint, KubernetesSettings s)
    {
        var (configMap, specHash) = ConfigMap(endpoint, s);
        return s.Format == ManifestFormat.Kserve
            ? [configMap, InferenceService(endpoint, s, specHash)]
            : [configMap, Deployment(endpoint, s, specHash), Service(endpoint, s), Autoscaler(endpoint, s)];
    }

    public static string SpecJson(ResolvedEndpoint endpoint) =>
        JsonSerializer.Serialize(endpoint.Endpoint, new ServingJson(new JsonSerializerOptions(ServingJson.Default.Options) { WriteIndented = true }).Endpoint);

    private static (ManifestFile File, string Hash) ConfigMap(ResolvedEndpoint endpoint, KubernetesSettings s)
    {
        var spec = SpecJson(endpoint);
        var resolution = new JsonArray([.. endpoint.Routes.Select(r => new JsonObject
        {
            ["requested_uri"] = r.RequestedUri,
            ["pinned_uri"] = r.PinnedUri,
            ["artifact_uri"] = r.ArtifactUri,
        })]).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec)));
        var document = Map(
            ("apiVersion", "v1"),
            ("kind", "ConfigMap"),
            ("metadata", Metadata(s.Name + "-endpoint", endpoint, s)),
            ("data", Map((ServerContainer.SpecFile, spec), (ServerContainer.ResolutionFile, resolution))));
        return (new ManifestFile("configmap.yaml", "ConfigMap", document), hash);
    }

    private static ManifestFile Deployment(ResolvedEndpoint endpoint, KubernetesSettings s, string specHash)
    {
        var document = Map(
            ("apiVersion", "apps/v1"),
            ("kind", "Deployment"),
            ("metadata", Metadata(s.Name, endpoint, s)),
            ("spec", Map(
                ("replicas", s.Replicas),
                ("revisionHistoryLimit", 5),
                ("selector", Map(("matchLabels", Selector(s)))),
                // One new pod ready before an old one goes: a rollout never lowers capacity.
                ("strategy", Map(("type", "RollingUpdate"), ("rollingUpdate", Map(("maxUnavailable", 0), ("maxSurge", 1))))),
                ("template", Map(
                    ("metadata", Map(("labels", Labels(endpoint, s)), ("annotations", ServerContainer.ScrapeAnnotations(s, specHash)))),
                    ("spec", Map(
                        ("securityContext", ServerContainer.PodSecurityContext()),
                        ("terminationGracePeriodSeconds", 30),
                        ("containers", new List<object> { ServerContainer.Container(s, "keel", endpoint.Endpoint.Name, ServiceHosts(s.Name, s.Namespace)) }),
                        ("volumes", ServerContainer.Volumes(s.Name + "-endpoint")))))))));
        return new ManifestFile("deployment.yaml", "Deployment", document);
    }

    private static ManifestFile Service(ResolvedEndpoint endpoint, KubernetesSettings s)
    {
        var document = Map(
            ("apiVersion", "v1"),
            ("kind", "Service"),
            ("metadata", Metadata(s.Name, endpoint, s)),
            ("spec", Map(
                ("type", s.ServiceType),
                ("selector", Selector(s)),
                ("ports", new List<object> { Map(("name", "http"), ("port", 80), ("targetPort", "http"), ("protocol", "TCP")) }))));
        return new ManifestFile("service.yaml", "Service", document);
    }

    private static ManifestFile Autoscaler(ResolvedEndpoint endpoint, KubernetesSettings s)
    {
        var document = Map(
            ("apiVersion", "autoscaling/v2"),
            ("kind", "HorizontalPodAutoscaler"),
            ("metadata", Metadata(s.Name, endpoint, s)),
            ("spec", Map(
                ("scaleTargetRef", Map(("apiVersion", "apps/v1"), ("kind", "Deployment"), ("name", s.Name))),
                ("minReplicas", s.MinReplicas),
                ("maxReplicas", s.MaxReplicas),
                ("metrics", new List<object>
                {
                    Map(("type", "Resource"), ("resource", Map(("name", "cpu"), ("target", Map(("type", "Utilization"), ("averageUtilization", s.TargetCpuUtilization)))))),
                }),
                // Scale down slowly: a replica that goes must first load nothing, but one that comes back must load the model again.
                ("behavior", Map(("scaleDown", Map(("stabilizationWindowSeconds", 300))))))));
        return new ManifestFile("hpa.yaml", "HorizontalPodAutoscaler", document);
    }

    private static ManifestFile InferenceService(ResolvedEndpoint endpoint, KubernetesSettings s, string specHash)
    {
        // KServe names the predictor's Service <name>-predictor; the container must be kserve-container.
        var predictor = s.Name + "-predictor";
        var document = Map(
            ("apiVersion", "serving.kserve.io/v1beta1"),
            ("kind", "InferenceService"),
            ("metadata", Metadata(s.Name, endpoint, s, ServerContainer.ScrapeAnnotations(s, specHash))),
            ("spec", Map(
                ("predictor", Map(
                    ("minReplicas", s.MinReplicas),
                    ("maxReplicas", s.MaxReplicas),
                    ("scaleMetric", "cpu"),
                    ("scaleTarget", s.TargetCpuUtilization),
                    ("securityContext", ServerContainer.PodSecurityContext()),
                    ("containers", new List<object>
                    {
                        ServerContainer.Container(s, "kserve-container", endpoint.Endpoint.Name, [.. ServiceHosts(predictor, s.Namespace), .. ServiceHosts(s.Name, s.Namespace)]),
                    }),
                    ("volumes", ServerContainer.Volumes(s.Name + "-endpoint")))))));
        return new ManifestFile("inferenceservice.yaml", "InferenceService", document);
    }

    private static string[] ServiceHosts(string service, string ns) =>
        [service, $"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.cluster.local"];

    private static Dictionary<string, object> Metadata(string name, ResolvedEndpoint endpoint, KubernetesSettings s, Dictionary<string, object>? annotations = null) => Map(
        ("name", name),
        ("namespace", s.Namespace),
        ("labels", Labels(endpoint, s)),
        ("annotations", annotations));

    private static Dictionary<string, object> Selector(KubernetesSettings s) => Map(
        ("app.kubernetes.io/name", "keel"),
        ("app.kubernetes.io/instance", s.Name));

    private static Dictionary<string, object> Labels(ResolvedEndpoint endpoint, KubernetesSettings s)
    {
        var labels = Selector(s);
        labels["app.kubernetes.io/component"] = "serving";
        labels["app.kubernetes.io/managed-by"] = "keel";
        if (KubernetesNames.IsLabelValue(endpoint.Endpoint.Name))
        {
            labels["keel.dev/endpoint"] = endpoint.Endpoint.Name;
        }

        return labels;
    }
}
