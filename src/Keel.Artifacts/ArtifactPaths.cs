using Keel.Core.Artifacts;

namespace Keel.Artifacts;

/// <summary>
/// Turns a store-relative artifact path into a full path that is guaranteed to stay under the root.
/// The rule itself is <see cref="ArtifactPath"/>'s (one place); this adds the file-system check.
/// </summary>
internal static class ArtifactPaths
{
    public static string Resolve(string root, string? path)
    {
        var segments = ArtifactPath.Segments(path);
        var full = segments.Length == 0 ? root : Path.GetFullPath(Path.Combine([root, .. segments]));

        // Belt and braces against anything the segment checks missed (e.g. platform path quirks).
        if (!full.Equals(root, StringComparison.Ordinal) && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw ArtifactPath.Invalid();
        }

        return full;
    }
}
