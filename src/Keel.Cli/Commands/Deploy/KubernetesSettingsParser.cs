using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Cli.Commands.Deploy;

/// <summary>
/// Checks every option of <c>keel deploy kubernetes</c> before anything is written; a bad value is
/// an INVALID_PARAMETER_VALUE naming the option and the rule, so no half-valid manifest reaches kubectl.
/// </summary>
internal static class KubernetesSettingsParser
{
    /// <summary>Replica bounds the generated HPA may use; more than this is a typo, not a plan.</summary>
    public const int MaxReplicasLimit = 1000;

    // Knative and KServe append "-predictor" (and more) to the InferenceService name within a 63-character label.
    private const int MaxKserveNameLength = 45;

    public static KubernetesSettings Parse(string endpoint, KubernetesOptionValues values, string defaultImage)
    {
        var format = values.Format.ToLowerInvariant() switch
        {
            "kubernetes" or "k8s" => ManifestFormat.Kubernetes,
            "kserve" => ManifestFormat.Kserve,
            _ => throw Invalid("--format", values.Format, "must be kubernetes or kserve"),
        };

        var name = values.Name ?? KubernetesNames.ForEndpoint(endpoint);
        if (!KubernetesNames.IsDns1035Label(name))
        {
            throw values.Name is null
                ? KeelException.InvalidParameter($"Endpoint name '{endpoint}' does not make a valid Kubernetes name ('{name}': lower-case letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters); pass --name NAME.")
                : Invalid("--name", name, "must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters");
        }

        if (format == ManifestFormat.Kserve && name.Length > MaxKserveNameLength)
        {
            throw Invalid("--name", name, $"must be at most {MaxKserveNameLength} characters for KServe, which adds suffixes to it");
        }

        if (!KubernetesNames.IsDns1123Label(values.Namespace))
        {
            throw Invalid("--namespace", values.Namespace, "must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters");
        }

        var image = values.Image ?? defaultImage;
        if (!KubernetesNames.IsImageReference(image))
        {
            throw Invalid("--image", image, "must be an image reference such as registry.example.com/keel:0.1.0");
        }

        var (replicas, min, max) = CheckReplicas(values);
        if (values.TargetCpuUtilization is < 1 or > 100)
        {
            throw Invalid("--target-cpu-utilization", values.TargetCpuUtilization, "must be a percentage from 1 to 100");
        }

        var cpu = Quantities.CpuMillis(values.Cpu) is > 0 ? values.Cpu : throw Invalid("--cpu", values.Cpu, "must be a positive CPU quantity such as 500m, 1 or 1.5");
        var memory = Quantities.MemoryBytes(values.Memory) is > 0 ? values.Memory : throw Invalid("--memory", values.Memory, "must be a positive memory quantity such as 512Mi or 2Gi");
        if (values.CpuLimit is { } cpuLimit && !(Quantities.CpuMillis(cpuLimit) >= Quantities.CpuMillis(cpu)))
        {
            throw Invalid("--cpu-limit", cpuLimit, $"must be a CPU quantity no smaller than --cpu ({cpu})");
        }

        var memoryLimit = values.MemoryLimit ?? memory;
        if (!(Quantities.MemoryBytes(memoryLimit) >= Quantities.MemoryBytes(memory)))
        {
            throw Invalid("--memory-limit", memoryLimit, $"must be a memory quantity no smaller than --memory ({memory})");
        }

        if (values.Port is < 1024 or > 65535)
        {
            throw Invalid("--port", values.Port, "must be from 1024 to 65535 (the container runs as a non-root user)");
        }

        var serviceType = values.ServiceType.ToLowerInvariant() switch
        {
            "clusterip" => "ClusterIP",
            "nodeport" => "NodePort",
            "loadbalancer" => "LoadBalancer",
            _ => throw Invalid("--service-type", values.ServiceType, "must be ClusterIP, NodePort or LoadBalancer"),
        };

        CheckSecretName("--backend-store-uri-secret", values.BackendStoreSecret);
        if (values.S3CredentialsSecret is { } s3Secret)
        {
            CheckSecretName("--s3-credentials-secret", s3Secret);
        }

        return new KubernetesSettings
        {
            Name = name,
            Namespace = values.Namespace,
            Format = format,
            Image = image,
            Replicas = replicas,
            MinReplicas = min,
            MaxReplicas = max,
            TargetCpuUtilization = values.TargetCpuUtilization,
            CpuRequest = cpu,
            MemoryRequest = memory,
            CpuLimit = values.CpuLimit,
            MemoryLimit = memoryLimit,
            Port = values.Port,
            ServiceType = serviceType,
            BackendStoreSecret = values.BackendStoreSecret,
            ArtifactsDestination = CheckArtifactsDestination(values.ArtifactsDestination),
            S3CredentialsSecret = values.S3CredentialsSecret,
            S3EndpointUrl = CheckS3Endpoint(values.S3EndpointUrl),
            AllowedHosts = CheckAllowedHosts(values.AllowedHosts),
        };
    }

    private static (int Replicas, int Min, int Max) CheckReplicas(KubernetesOptionValues values)
    {
        if (values.MinReplicas is < 1 or > MaxReplicasLimit)
        {
            throw Invalid("--min-replicas", values.MinReplicas, $"must be from 1 to {MaxReplicasLimit}");
        }

        if (values.MaxReplicas < values.MinReplicas || values.MaxReplicas > MaxReplicasLimit)
        {
            throw Invalid("--max-replicas", values.MaxReplicas, $"must be from --min-replicas ({values.MinReplicas}) to {MaxReplicasLimit}");
        }

        var replicas = values.Replicas ?? values.MinReplicas;
        if (replicas < values.MinReplicas || replicas > values.MaxReplicas)
        {
            throw Invalid("--replicas", replicas, $"must be from --min-replicas ({values.MinReplicas}) to --max-replicas ({values.MaxReplicas})");
        }

        return (replicas, values.MinReplicas, values.MaxReplicas);
    }

    private static void CheckSecretName(string option, string value)
    {
        if (!KubernetesNames.IsDns1123Subdomain(value))
        {
            throw Invalid(option, value, "must be the name of a Secret: lower-case letters, digits, '-' and '.', at most 253 characters");
        }
    }

    private static string? CheckArtifactsDestination(string? value)
    {
        if (value is null)
        {
            return null;
        }

        // Replicas share artifacts only through object storage; a file path would give each pod its own.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != "s3" || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid("--artifacts-destination", value, "must be an s3://BUCKET[/PREFIX] URI that every replica can reach");
        }

        return !string.IsNullOrEmpty(uri.UserInfo)
            ? throw KeelException.InvalidParameter("Invalid value for --artifacts-destination: it must not carry credentials; put them in the Secret named by --s3-credentials-secret.")
            : value;
    }

    private static string? CheckS3Endpoint(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw Invalid("--s3-endpoint-url", value, "must be an http:// or https:// URL");
        }

        return !string.IsNullOrEmpty(uri.UserInfo)
            ? throw KeelException.InvalidParameter("Invalid value for --s3-endpoint-url: it must not carry credentials; put them in the Secret named by --s3-credentials-secret.")
            : value;
    }

    private static string[] CheckAllowedHosts(string? value)
    {
        if (value is null)
        {
            return [];
        }

        var hosts = value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var host in hosts)
        {
            var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            var colon = bare.LastIndexOf(':');
            var hostPart = colon > 0 && int.TryParse(bare[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? bare[..colon] : bare;
            if (!KubernetesNames.IsDns1123Subdomain(hostPart.ToLowerInvariant()))
            {
                throw Invalid("--allowed-hosts", value, $"'{host}' is not a host name, host:port or *.domain");
            }
        }

        return hosts;
    }

    private static KeelException Invalid(string option, object value, string rule) =>
        KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid value '{value}' for {option}: {rule}."));
}
