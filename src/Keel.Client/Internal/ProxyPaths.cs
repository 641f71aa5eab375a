namespace Keel.Client.Internal;

/// <summary>Store paths on the mlflow-artifacts proxy: joined and escaped for its URL.</summary>
internal static class ProxyPaths
{
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
