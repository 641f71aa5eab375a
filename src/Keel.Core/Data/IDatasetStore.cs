using Keel.Core.Tracking;

namespace Keel.Core.Data;

/// <summary>
/// Persistence of datasets, their immutable versions and aliases. Contents are not here: they are
/// content-addressed objects in the artifact store, named by each version's manifest digest.
/// Implementations may assume validated input.
/// </summary>
public interface IDatasetStore
{
    /// <summary>
    /// Records a version unless its content equals the latest version's (same manifest digest), in
    /// one transaction that serialises concurrent adds to the same dataset: two adds of the same new
    /// content record one version. Creates the dataset with its first version.
    /// </summary>
    /// <param name="version">The version to add.</param>
    /// <param name="actor">Who adds it, when known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<AddedDatasetVersion> AddVersionAsync(NewDatasetVersion version, string? actor, CancellationToken cancellationToken = default);

    /// <summary>The dataset, or null.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<VersionedDataset?> FindDatasetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Datasets by name, a page at a time (the token is the last name of the previous page).</summary>
    /// <param name="maxResults">The page size.</param>
    /// <param name="pageToken">From the previous page, or null for the first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PagedList<VersionedDataset>> ListDatasetsAsync(int maxResults, string? pageToken, CancellationToken cancellationToken = default);

    /// <summary>One version with its profile and validation, or null when the dataset or version does not exist.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DatasetVersion?> FindVersionAsync(string name, long version, CancellationToken cancellationToken = default);

    /// <summary>Versions newest first, a page at a time, without profiles and validation results.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="maxResults">The page size.</param>
    /// <param name="pageToken">From the previous page, or null for the first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when the dataset does not.</exception>
    Task<PagedList<DatasetVersion>> ListVersionsAsync(string name, int maxResults, string? pageToken, CancellationToken cancellationToken = default);

    /// <summary>Versions of any dataset whose content has this manifest digest, oldest first.</summary>
    /// <param name="manifestDigest">The digest, in full.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<DatasetVersion>> FindVersionsByDigestAsync(string manifestDigest, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at a version, moving it if it pointed elsewhere.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="version">The version.</param>
    /// <param name="actor">Who sets it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when the dataset or version does not.</exception>
    Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="actor">Who removes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when the dataset or the alias does not.</exception>
    Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Changes the description and/or the gating suite; a null argument leaves that field, an empty string clears it.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="description">The new description, "" to clear, null to keep.</param>
    /// <param name="suite">The new suite JSON, "" to clear, null to keep.</param>
    /// <param name="actor">Who changes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when the dataset does not exist.</exception>
    Task<VersionedDataset> UpdateDatasetAsync(string name, string? description, string? suite, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes the dataset's metadata: versions and aliases. Content objects stay (other versions may share them).</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="actor">Who deletes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when the dataset does not exist.</exception>
    Task DeleteDatasetAsync(string name, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Audit events, newest first, of one dataset or all.</summary>
    /// <param name="name">The dataset, or null for all.</param>
    /// <param name="maxResults">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<DatasetEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default);
}
