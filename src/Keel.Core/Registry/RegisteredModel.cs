using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>A registered model. <see cref="LatestVersions"/> holds the latest version per stage.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="CreationTimestamp">Creation time, Unix milliseconds.</param>
/// <param name="LastUpdatedTimestamp">Time of the last change to the model or its versions, Unix milliseconds.</param>
/// <param name="UserId">Who created it, when known.</param>
/// <param name="Description">Free text, or null.</param>
/// <param name="LatestVersions">The highest version in each stage that has one.</param>
/// <param name="Tags">Model tags.</param>
/// <param name="Aliases">Aliases and the versions they point at.</param>
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
/// <param name="Alias">The alias.</param>
/// <param name="Version">The version number, as MLflow's wire writes it (a string).</param>
public sealed record ModelAlias(string Alias, string Version);
