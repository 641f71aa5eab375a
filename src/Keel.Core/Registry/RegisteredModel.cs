using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>A registered model. <see cref="LatestVersions"/> holds the latest version per stage.</summary>
public sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? UserId,
    string? Description,
    IReadOnlyList<ModelVersion> LatestVersions,
    IReadOnlyList<Tag> Tags,
    IReadOnlyList<ModelAlias> Aliases);

/// <summary>An alias (e.g. <c>champion</c>) pointing at one version of a model.</summary>
public sealed record ModelAlias(string Alias, string Version);
