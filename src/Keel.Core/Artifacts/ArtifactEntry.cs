namespace Keel.Core.Artifacts;

/// <summary>An entry of an artifact listing. <see cref="Path"/> is relative to the listed root; size is null for directories.</summary>
public sealed record ArtifactEntry(string Path, bool IsDir, long? FileSize);
