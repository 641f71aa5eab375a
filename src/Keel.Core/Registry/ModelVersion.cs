using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>One version of a registered model. <see cref="Version"/> counts 1, 2, ... per model.</summary>
/// <param name="Name">The registered model name.</param>
/// <param name="Version">The version number.</param>
/// <param name="CreationTimestamp">Creation time, Unix milliseconds.</param>
/// <param name="LastUpdatedTimestamp">Time of the last change, Unix milliseconds.</param>
/// <param name="UserId">Who created it, when known.</param>
/// <param name="CurrentStage">Its stage.</param>
/// <param name="Description">Free text, or null.</param>
/// <param name="Source">Where its files are: a <c>runs:/</c>, <c>models:/</c> or artifact URI.</param>
/// <param name="RunId">The run that produced it, or null.</param>
/// <param name="Status">Registration status.</param>
/// <param name="StatusMessage">Detail of the status, or null.</param>
/// <param name="Tags">Version tags.</param>
/// <param name="RunLink">A link to the run (e.g. in another workspace), or null.</param>
/// <param name="Aliases">The aliases pointing at this version.</param>
public sealed record ModelVersion(
    string Name,
    long Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? UserId,
    ModelStage CurrentStage,
    string? Description,
    string Source,
    string? RunId,
    ModelVersionStatus Status,
    string? StatusMessage,
    IReadOnlyList<Tag> Tags,
    string? RunLink,
    IReadOnlyList<string> Aliases)
{
    /// <summary>
    /// Where the artifacts live when that is not <see cref="Source"/>: a version registered from a
    /// <c>models:/</c> URI (a copy) keeps the location of the version it was copied from, resolved
    /// once at registration. Null means <see cref="Source"/>; MLflow's wire format does not carry it.
    /// </summary>
    public string? StorageLocation { get; init; }

    /// <summary>What get-download-uri answers: the storage location, else the source.</summary>
    public string DownloadUri => StorageLocation ?? Source;
}

/// <summary>What a new version starts with; the store numbers it.</summary>
/// <param name="Name">The registered model name.</param>
/// <param name="Source">Where its files are (validated above the port).</param>
/// <param name="RunId">The run that produced it, or null.</param>
/// <param name="Tags">Version tags.</param>
/// <param name="RunLink">A link to the run, or null.</param>
/// <param name="Description">Free text, or null.</param>
/// <param name="UserId">Who creates it, when known.</param>
public sealed record NewModelVersion(string Name, string Source, string? RunId, IReadOnlyList<Tag> Tags, string? RunLink, string? Description, string? UserId)
{
    /// <summary>See <see cref="ModelVersion.StorageLocation"/>; null when the artifacts are at the source.</summary>
    public string? StorageLocation { get; init; }
}

