using Keel.Core.Artifacts;
using Keel.Core.Backends;

namespace Keel.Artifacts.S3;

/// <summary>
/// Artifacts in S3 (or an S3-compatible server): <c>s3://bucket/prefix</c>, with the endpoint and
/// credentials from the variables MLflow users set (<c>MLFLOW_S3_ENDPOINT_URL</c>, <c>AWS_*</c>).
/// </summary>
public sealed class S3ArtifactBackendProvider : IArtifactBackendProvider
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Schemes { get; } = ["s3"];

    /// <inheritdoc/>
    public string Form => "s3://<bucket>/<prefix>";

    /// <inheritdoc/>
    public bool OpensPlainPaths => false;

    /// <inheritdoc/>
    public IArtifactStore Open(string uri, string option) => OpenStore(uri, option);

    // Its own method so the AWS SDK assemblies load only when an s3:// destination is opened.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IArtifactStore OpenStore(string uri, string option) => S3ArtifactStore.Open(uri, option);
}
