namespace Keel.Cli.Commands.Deploy;

/// <summary>The options of <c>keel deploy kubernetes</c> as typed, before any rule is checked.</summary>
internal sealed record KubernetesOptionValues
{
    public string? Name { get; init; }

    public string Namespace { get; init; } = "default";

    public string Format { get; init; } = "kubernetes";

    public string? Image { get; init; }

    public int? Replicas { get; init; }

    public int MinReplicas { get; init; } = 2;

    public int MaxReplicas { get; init; } = 10;

    public int TargetCpuUtilization { get; init; } = 70;

    public string Cpu { get; init; } = "500m";

    public string Memory { get; init; } = "512Mi";

    public string? CpuLimit { get; init; }

    public string? MemoryLimit { get; init; }

    public int Port { get; init; } = 8080;

    public string ServiceType { get; init; } = "ClusterIP";

    public string BackendStoreSecret { get; init; } = "keel-backend-store";

    public string? ArtifactsDestination { get; init; }

    public string? S3CredentialsSecret { get; init; }

    public string? S3EndpointUrl { get; init; }

    public string? AllowedHosts { get; init; }
}
