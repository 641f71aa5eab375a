using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

/// <summary>Compares manifest entries by value, chunk lists included (records compare lists by reference).</summary>
internal sealed class ManifestFileComparer : IEqualityComparer<ManifestFile>
{
    public static ManifestFileComparer Instance { get; } = new();

    public bool Equals(ManifestFile? x, ManifestFile? y) =>
        x is not null && y is not null && x.Path == y.Path && x.Size == y.Size && x.Digest == y.Digest && x.Chunks.SequenceEqual(y.Chunks);

    public int GetHashCode(ManifestFile obj) => obj.Path.GetHashCode(StringComparison.Ordinal);
}
