using System.Globalization;
using static Keel.Cli.Commands.Deploy.Yaml;

namespace Keel.Cli.Commands.Deploy;

/// <summary>
/// The <c>keel server</c> container and its pod-level pieces, shared by the Deployment and the
/// KServe predictor so both run the replica the same way.
/// </summary>
internal static class ServerContainer
{
    public const string DataDir = "/var/lib/keel";
    public const string SpecDir = "/etc/keel/endpoint";
    public const string SpecFile = "endpoint.json";
    public const string ResolutionFile = "resolution.json";

    // The uid of the non-root "app" user in Microsoft's .NET images; numeric so runAsNonRoot can be verified.
    private const long AppUid = 1654;

    private const string BackendVariable = "KEEL_BACKEND_STORE_URI";
    private const string PodIpVariable = "POD_IP";

    public static Dictionary<string, object> Container(KubernetesSettings s, string containerName, string endpoint, IEnumerable<string> serviceHosts)
    {
        var port = s.Port.ToString(CultureInfo.InvariantCulture);
        // Probes reach the pod by its IP and clients by the Service's names; nothing else is answered.
        var hosts = string.Join(',', ["$(" + PodIpVariable + ")", "localhost", .. serviceHosts, .. s.AllowedHosts]);
        var args = new List<object>
        {
            // Reachable from the cluster network, so sign-in is on: users and tokens live in the shared database.
            "server", "--host", "0.0.0.0", "--port", port, "--data-dir", DataDir, "--auth",
            // Kubernetes expands $(VAR) from the container's environment: the URI stays in the Secret.
            "--backend-store-uri", "$(" + BackendVariable + ")",
            "--allowed-hosts", hosts,
            // The pinned spec in the ConfigMap: each replica applies it at start (created or brought
            // to it once; a replica finding it already there changes nothing) before it listens.
            "--endpoint-spec", SpecDir + "/" + SpecFile,
        };
        if (s.ArtifactsDestination is { } destination)
        {
            args.Add("--artifacts-destination");
            args.Add(destination);
        }

        var env = new List<object>
        {
            Map(("name", PodIpVariable), ("valueFrom", Map(("fieldRef", Map(("fieldPath", "status.podIP")))))),
            Map(("name", BackendVariable), ("valueFrom", Map(("secretKeyRef", Map(("name", s.BackendStoreSecret), ("key", KubernetesSettings.BackendStoreSecretKey)))))),
            // .NET sizes its first GC generation from the node's last-level cache (105 MiB on some
            // cloud VMs), letting tens of MiB of short-lived buffers pile up while a large artifact
            // streams; a 4 MiB first generation keeps a 2 GB transfer under 200 MB (docs/benchmarks.md).
            Map(("name", "DOTNET_GCgen0size"), ("value", "0x400000")),
        };
        if (s.S3EndpointUrl is { } s3Endpoint)
        {
            env.Add(Map(("name", "MLFLOW_S3_ENDPOINT_URL"), ("value", s3Endpoint)));
        }

        var limits = Map(("cpu", s.CpuLimit), ("memory", s.MemoryLimit));
        return Map(
            ("name", containerName),
            ("image", s.Image),
            ("imagePullPolicy", "IfNotPresent"),
            ("args", args),
            ("env", env),
            ("envFrom", s.S3CredentialsSecret is { } secret ? new List<object> { Map(("secretRef", Map(("name", secret)))) } : null),
            ("ports", new List<object> { Map(("name", "http"), ("containerPort", s.Port), ("protocol", "TCP")) }),
            // Loading a model can take a while; the startup probe holds liveness off until the server answers.
            ("startupProbe", Probe("/health", s.Port, period: 2, failures: 60)),
            ("livenessProbe", Probe("/health", s.Port, period: 10, failures: 3)),
            // Ready only once this endpoint is loaded, so a Service never routes to a pod still loading it.
            ("readinessProbe", Probe($"/v2/models/{Uri.EscapeDataString(endpoint)}/ready", s.Port, period: 5, failures: 3)),
            ("resources", Map(("requests", Map(("cpu", s.CpuRequest), ("memory", s.MemoryRequest))), ("limits", limits))),
            ("securityContext", Map(
                ("allowPrivilegeEscalation", false),
                ("readOnlyRootFilesystem", true),
                ("capabilities", Map(("drop", new List<object> { "ALL" }))))),
            ("volumeMounts", new List<object>
            {
                Map(("name", "data"), ("mountPath", DataDir)),
                Map(("name", "tmp"), ("mountPath", "/tmp")),
                Map(("name", "endpoint-spec"), ("mountPath", SpecDir), ("readOnly", true)),
            }));
    }

    public static Dictionary<string, object> PodSecurityContext() => Map(
        ("runAsNonRoot", true),
        ("runAsUser", AppUid),
        ("runAsGroup", AppUid),
        ("fsGroup", AppUid),
        ("seccompProfile", Map(("type", "RuntimeDefault"))));

    /// <summary>Scratch space (model cache, prediction log) and the pinned endpoint spec.</summary>
    public static List<object> Volumes(string configMapName) =>
    [
        Map(("name", "data"), ("emptyDir", new Dictionary<string, object>())),
        Map(("name", "tmp"), ("emptyDir", new Dictionary<string, object>())),
        Map(("name", "endpoint-spec"), ("configMap", Map(("name", configMapName)))),
    ];

    /// <summary>Prometheus scrape hints for the pod's /metrics.</summary>
    public static Dictionary<string, object> ScrapeAnnotations(KubernetesSettings s, string specHash) => Map(
        ("prometheus.io/scrape", "true"),
        ("prometheus.io/port", s.Port.ToString(CultureInfo.InvariantCulture)),
        ("prometheus.io/path", "/metrics"),
        // A new spec changes the pod template, so re-applying rolls the replicas.
        ("keel.dev/endpoint-spec-sha256", specHash));

    private static Dictionary<string, object> Probe(string path, int port, int period, int failures) => Map(
        ("httpGet", Map(("path", path), ("port", port))),
        ("periodSeconds", period),
        ("timeoutSeconds", 2),
        ("failureThreshold", failures));
}
