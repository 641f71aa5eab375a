namespace Keel.Cli.Commands.Deploy;

/// <summary>Which manifests <c>keel deploy kubernetes</c> writes.</summary>
internal enum ManifestFormat
{
    /// <summary>Plain Kubernetes: ConfigMap, Deployment, Service and HorizontalPodAutoscaler.</summary>
    Kubernetes,

    /// <summary>A KServe InferenceService (custom container) and the ConfigMap.</summary>
    Kserve,
}
