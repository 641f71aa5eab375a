using Amazon.Runtime;

namespace Keel.Artifacts.S3;

/// <summary>
/// HTTP clients that accept any TLS certificate, for <c>MLFLOW_S3_IGNORE_TLS=true</c> only: an
/// operator's explicit choice for a test server with a self-signed certificate, as in MLflow.
/// </summary>
internal sealed class InsecureHttpClientFactory : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new SocketsHttpHandler();
#pragma warning disable CA5359 // Certificate validation is off only when the operator sets MLFLOW_S3_IGNORE_TLS.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        return new HttpClient(handler, disposeHandler: true);
    }

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => "keel-insecure-tls";
}
