namespace Keel.Data.Content;

/// <summary>A file present in both versions with different content.</summary>
/// <param name="Path">The file's path.</param>
/// <param name="OldSize">Its size in the older version.</param>
/// <param name="NewSize">Its size in the newer version.</param>
/// <param name="OldDigest">Its digest in the older version.</param>
/// <param name="NewDigest">Its digest in the newer version.</param>
public sealed record ManifestFileChange(string Path, long OldSize, long NewSize, string OldDigest, string NewDigest);
