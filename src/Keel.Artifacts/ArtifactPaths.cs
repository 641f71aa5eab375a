using Keel.Core.Errors;

namespace Keel.Artifacts;

/// <summary>
/// Turns a store-relative artifact path into a full path that is guaranteed to stay under the root
/// (MLflow's <c>validate_path_is_safe</c>). The server has already URL-decoded the path, so a
/// decoded <c>%2e%2e</c> arrives here as <c>..</c> and is rejected like any other traversal.
/// </summary>
internal static class ArtifactPaths
{
    /// <summary>Returns the segments of a safe relative path; empty for the root.</summary>
    public static string[] Split(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return [];
        }

        if (path.Contains('\\') || path.Contains('\0') || path.StartsWith('/') || path.StartsWith('~') || HasDriveLetter(path) || path.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(path);
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var s in segments)
        {
            if (s is "." or ".." || (s.Contains('%') && IsEncodedTraversal(s)))
            {
                throw Invalid(path);
            }
        }

        return segments;
    }

    public static string Resolve(string root, string? path)
    {
        var segments = Split(path);
        var full = segments.Length == 0 ? root : Path.GetFullPath(Path.Combine([root, .. segments]));

        // Belt and braces against anything the segment checks missed (e.g. platform path quirks).
        if (!full.Equals(root, StringComparison.Ordinal) && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Invalid(path!);
        }

        return full;
    }

    // A '%' that survived the server's decoding may be a second layer of encoding (%252e%252e);
    // decode until stable, as MLflow does, and refuse what would then traverse.
    private static bool IsEncodedTraversal(string segment)
    {
        var current = segment;
        for (var i = 0; i < 5; i++)
        {
            var next = Uri.UnescapeDataString(current);
            if (next == current)
            {
                break;
            }

            current = next;
        }

        return current is "." or ".." || current.Contains('/') || current.Contains('\\') || current.Contains('\0');
    }

    private static bool HasDriveLetter(string path) => path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]);

    private static KeelException Invalid(string path) => KeelException.InvalidParameter($"Invalid path: {path}");
}
