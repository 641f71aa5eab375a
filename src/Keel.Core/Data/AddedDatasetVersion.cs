namespace Keel.Core.Data;

/// <summary>What adding a version did.</summary>
/// <param name="Version">The version now latest: the new one, or the unchanged latest.</param>
/// <param name="Created">False when the content equals the latest version's, so nothing was recorded.</param>
public sealed record AddedDatasetVersion(DatasetVersion Version, bool Created);
