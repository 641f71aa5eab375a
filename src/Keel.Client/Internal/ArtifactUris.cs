using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Client.Internal;

/// <summary>Turns a run's artifact URI into a path on the mlflow-artifacts proxy.</summary>
internal static class ArtifactUris
{
    /// <summary>
    /// <c>mlflow-artifacts:/1/abc/artifacts</c>, <c>mlflow-artifacts://host:5000/1/abc/artifacts</c> and
    /// <c>http://host/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts</c> all become
    /// <c>1/abc/artifacts</c>. Other locations are not served by the proxy.
    /// </summary>
    public static string ToProxyPath(string artifactUri)
    {
        var uri = ArtifactUri.Parse(artifactUri);
        return uri.Kind == ArtifactUriKind.Proxied
            ? uri.ProxyPath!
            : throw new KeelException(
                ErrorCode.NotImplemented,
                $"Artifact URI '{artifactUri}' is not served through the mlflow-artifacts proxy; the Keel SDK only proxies artifacts.");
    }

    public static string Join(string? left, string? right)
    {
        var a = (left ?? string.Empty).Trim('/');
        var b = (right ?? string.Empty).Replace('\\', '/').Trim('/');
        return a.Length == 0 ? b : b.Length == 0 ? a : $"{a}/{b}";
    }

    /// <summary>Escapes each segment so names with spaces or '#' survive, but keeps the '/' separators.</summary>
    public static string EscapePath(string path) =>
        string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
}
