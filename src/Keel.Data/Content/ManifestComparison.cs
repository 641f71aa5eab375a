namespace Keel.Data.Content;

/// <summary>What changed between two dataset versions, file by file; each list sorted by path.</summary>
/// <param name="Added">Files only in the newer version.</param>
/// <param name="Removed">Files only in the older version.</param>
/// <param name="Changed">Files in both with different content.</param>
/// <param name="UnchangedCount">Files in both with the same content.</param>
public sealed record ManifestComparison(
    IReadOnlyList<ManifestFile> Added,
    IReadOnlyList<ManifestFile> Removed,
    IReadOnlyList<ManifestFileChange> Changed,
    int UnchangedCount)
{
    /// <summary>True when the versions hold the same files with the same content.</summary>
    public bool IsIdentical => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;
}
