namespace Keel.Cli.Commands.Deploy;

/// <summary>The checked options of <c>keel deploy kubernetes</c>; built only by <see cref="KubernetesSettingsParser"/>.</summary>
internal sealed record KubernetesSettings
{
    /// <summary>The Secret key that holds the backend store URI.</summary>
    public const string BackendStoreSecretKey = "backend-store-uri";

    /// <summary>Base name of every resource (a DNS-1123 label).</summary>
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required ManifestFormat Format { get; init; }

    public required string Image { get; init; }

    public required int Replicas { get; init; }

    public required int MinReplicas { get; init; }

    public required int MaxReplicas { get; init; }

    public required int TargetCpuUtilization { get; init; }

    public required string CpuRequest { get; init; }

    public required string MemoryRequest { get; init; }

    public string? CpuLimit { get; init; }

    public required string MemoryLimit { get; init; }

    public required int Port { get; init; }

    public required string ServiceType { get; init; }

    /// <summary>Name of the Secret whose <see cref="BackendStoreSecretKey"/> holds the backend store URI.</summary>
    public required string BackendStoreSecret { get; init; }

    public string? ArtifactsDestination { get; init; }

    /// <summary>Name of a Secret whose keys (AWS_ACCESS_KEY_ID, ...) become environment variables.</summary>
    public string? S3CredentialsSecret { get; init; }

    public string? S3EndpointUrl { get; init; }

    /// <summary>Extra Host names the replicas answer (an ingress host), beyond the in-cluster names.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
}
