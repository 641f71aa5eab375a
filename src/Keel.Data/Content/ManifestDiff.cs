namespace Keel.Data.Content;

/// <summary>Compares two dataset versions by path and content digest.</summary>
public static class ManifestDiff
{
    /// <summary>
    /// Files added, removed and changed going from <paramref name="from"/> to <paramref name="to"/>.
    /// A renamed file shows as removed and added (content digests tell a caller it moved).
    /// </summary>
    /// <param name="from">The older version.</param>
    /// <param name="to">The newer version.</param>
    public static ManifestComparison Compare(DatasetManifest from, DatasetManifest to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var added = new List<ManifestFile>();
        var removed = new List<ManifestFile>();
        var changed = new List<ManifestFileChange>();
        var unchanged = 0;
        int i = 0, j = 0;
        var left = from.Files;
        var right = to.Files;

        // Both lists are sorted by path (ordinal), so one merge pass pairs them up.
        while (i < left.Count || j < right.Count)
        {
            var order = i == left.Count ? 1 : j == right.Count ? -1 : string.CompareOrdinal(left[i].Path, right[j].Path);
            if (order < 0)
            {
                removed.Add(left[i++]);
            }
            else if (order > 0)
            {
                added.Add(right[j++]);
            }
            else
            {
                var (a, b) = (left[i++], right[j++]);
                if (a.Digest == b.Digest)
                {
                    unchanged++;
                }
                else
                {
                    changed.Add(new ManifestFileChange(a.Path, a.Size, b.Size, a.Digest, b.Digest));
                }
            }
        }

        return new ManifestComparison(added, removed, changed, unchanged);
    }
}
