namespace Keel.Core.Artifacts;

/// <summary>An entry of an artifact listing.</summary>
/// <param name="Path">The entry's name relative to the listed directory (a basename for the local store).</param>
/// <param name="IsDir">True for a directory.</param>
/// <param name="FileSize">Size in bytes; null for a directory.</param>
public sealed record ArtifactEntry(string Path, bool IsDir, long? FileSize);
