namespace Keel.Data.Content;

/// <summary>
/// An immutable snapshot of a file or a directory tree: what <see cref="ContentStore.SnapshotAsync"/>
/// returns and stores. Instances come only from the store (snapshot or read), so
/// <see cref="Digest"/> always matches the files.
/// </summary>
public sealed record DatasetManifest
{
    internal DatasetManifest(string digest, bool isSingleFile, IReadOnlyList<ManifestFile> files)
    {
        Digest = digest;
        IsSingleFile = isSingleFile;
        Files = files;
        long total = 0;
        foreach (var file in files)
        {
            total += file.Size;
        }

        TotalBytes = total;
    }

    /// <summary>BLAKE3 (64 lowercase hex digits) of the manifest's canonical bytes: the version's identity.</summary>
    public string Digest { get; }

    /// <summary>True when a single file was added: <see cref="Files"/> holds one entry named by the file's name.</summary>
    public bool IsSingleFile { get; }

    /// <summary>The files, sorted by path (ordinal). Empty directories are not recorded.</summary>
    public IReadOnlyList<ManifestFile> Files { get; }

    /// <summary>The sum of the files' sizes.</summary>
    public long TotalBytes { get; }

    /// <summary>The number of files.</summary>
    public int FileCount => Files.Count;
}
