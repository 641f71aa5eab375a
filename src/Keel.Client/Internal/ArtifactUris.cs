using Keel.Core.Errors;

namespace Keel.Client.Internal;

/// <summary>Turns a run's artifact URI into a path on the mlflow-artifacts proxy.</summary>
internal static class ArtifactUris
{
    private const string Scheme = "mlflow-artifacts:";

    /// <summary>
    /// <c>mlflow-artifacts:/1/abc/artifacts</c> and <c>mlflow-artifacts://host:5000/1/abc/artifacts</c>
    /// both become <c>1/abc/artifacts</c>. Other schemes mean the server does not proxy artifacts.
    /// </summary>
    public static string ToProxyPath(string artifactUri)
    {
        if (!artifactUri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw new KeelException(
                ErrorCode.NotImplemented,
                $"Artifact URI '{artifactUri}' is not served through the mlflow-artifacts proxy; the Keel SDK only proxies artifacts.");
        }

        var rest = artifactUri[Scheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // An authority names the server; the path after it is what the proxy expects.
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? string.Empty : rest[slash..];
        }

        return rest.Trim('/');
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
