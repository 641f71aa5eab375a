namespace Keel.Core.Artifacts;

/// <summary>Who can reach an artifact location.</summary>
public enum ArtifactUriKind
{
    /// <summary>
    /// Served by a Keel (or MLflow) artifact proxy: <c>mlflow-artifacts:/...</c>, or an http(s) URL of
    /// the <c>/api/2.0/mlflow-artifacts/artifacts</c> route. The server maps it to its artifact destination.
    /// </summary>
    Proxied,

    /// <summary>A file-system path or a <c>file:</c> URI: clients and the server read it directly.</summary>
    Local,

    /// <summary>Any other store (<c>s3://</c>, <c>gs://</c>, <c>hdfs://</c>, plain http, ...): clients reach it themselves.</summary>
    Remote,
}
