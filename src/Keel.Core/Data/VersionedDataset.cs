namespace Keel.Core.Data;

/// <summary>A named, versioned dataset: its versions are immutable snapshots of files.</summary>
/// <param name="Name">The dataset name, unique.</param>
/// <param name="Description">What the data is, when given.</param>
/// <param name="CreatedAt">When the first version was added, in Unix milliseconds.</param>
/// <param name="UpdatedAt">When the dataset last changed (a version, alias, suite or description), in Unix milliseconds.</param>
/// <param name="LatestVersion">The newest version number (versions start at 1).</param>
/// <param name="Aliases">Alias to version, e.g. <c>production → 3</c>.</param>
/// <param name="Suite">The Great Expectations suite (JSON) that gates new versions, or null.</param>
public sealed record VersionedDataset(
    string Name,
    string? Description,
    long CreatedAt,
    long UpdatedAt,
    long LatestVersion,
    IReadOnlyDictionary<string, long> Aliases,
    string? Suite);
