using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>
/// The model-registry port. Input is validated above it (names, alias rules, stages, lengths); a
/// store enforces existence, unique names, version numbering and alias uniqueness atomically, and
/// records every change as a <see cref="RegistryEvent"/> in the same transaction. The <c>actor</c>
/// arguments name who made the change (null when unknown). Unknown names or versions raise
/// RESOURCE_DOES_NOT_EXIST with MLflow's wording. Implementations: SQLite, the REST client.
/// </summary>
public interface IModelRegistryStore
{
    /// <summary>Creates a registered model with no versions.</summary>
    /// <param name="name">Unique model name (validated above the port).</param>
    /// <param name="tags">Model tags.</param>
    /// <param name="description">Free text, or null.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored model.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_ALREADY_EXISTS when the name is taken.</exception>
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<Tag> tags, string? description, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Gets a model with its tags, aliases and latest version per stage.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown name.</exception>
    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Renames a model; its versions, tags and aliases follow.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="newName">The new, unique name.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model under its new name.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown name; RESOURCE_ALREADY_EXISTS when the new name is taken.</exception>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces a model's description.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="description">The new description; null clears it.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown name.</exception>
    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a model with its versions, tags and aliases; the audit trail keeps its events.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown name.</exception>
    Task DeleteRegisteredModelAsync(string name, string? actor, CancellationToken cancellationToken = default);

    /// <summary>One page of models matching a validated query, in its order (default: name ascending), from <see cref="RegisteredModelQuery.Offset"/>.</summary>
    /// <param name="query">Filter on name and tags, ordering and the page window.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most <see cref="RegisteredModelQuery.MaxResults"/> models, and whether more follow.</returns>
    Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(RegisteredModelQuery query, CancellationToken cancellationToken = default);

    /// <summary>The latest (highest-numbered) version in each of the given stages (every stage when empty).</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="stages">The stages to look in; empty for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most one version per stage; stages without a version are left out.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown name.</exception>
    Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelStage> stages, CancellationToken cancellationToken = default);

    /// <summary>Sets (adds or replaces) a model tag.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="tag">The tag; an existing key gets the new value.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown name.</exception>
    Task SetRegisteredModelTagAsync(string name, Tag tag, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a model tag; an absent key changes nothing.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown name.</exception>
    Task DeleteRegisteredModelTagAsync(string name, string key, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at a version, moving it if it pointed elsewhere.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="alias">The alias (validated above the port: not <c>latest</c>, not a version-like <c>v1</c>).</param>
    /// <param name="version">The version number (1, 2, ...).</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or version.</exception>
    Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias; an alias that is not set changes nothing, as in MLflow.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model.</exception>
    Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default);

    /// <summary>The version an alias points at.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or an alias that is not set.</exception>
    Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the next version with status READY. Numbers are never reused: the next one follows
    /// the highest ever created, deleted versions included.
    /// </summary>
    /// <param name="version">Model name, source URI, run id, tags, run link, description and user.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored version with its number.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model.</exception>
    Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Gets one version with its tags and aliases.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="version">The version number (1, 2, ...).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or version.</exception>
    Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken = default);

    /// <summary>Replaces a version's description.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="version">The version number (1, 2, ...).</param>
    /// <param name="description">The new description; null clears it.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or version.</exception>
    Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a version with its tags and the aliases pointing at it; its number is not reused.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="version">The version number (1, 2, ...).</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or version.</exception>
    Task DeleteModelVersionAsync(string name, long version, string? actor, CancellationToken cancellationToken = default);

    /// <summary>One page of versions matching a validated query, in its order, from <see cref="ModelVersionQuery.Offset"/>.</summary>
    /// <param name="query">Filter on name, run id, source, version number and tags, ordering and the page window.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most <see cref="ModelVersionQuery.MaxResults"/> versions, and whether more follow.</returns>
    Task<Page<ModelVersion>> SearchModelVersionsAsync(ModelVersionQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a version to a stage (rules in <see cref="ModelStages"/>); with
    /// <paramref name="archiveExistingVersions"/>, other versions in that stage (Staging or
    /// Production only) move to Archived in the same transaction.
    /// </summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="version">The version number (1, 2, ...).</param>
    /// <param name="stage">The target stage.</param>
    /// <param name="archiveExistingVersions">Archive the other versions in the target stage.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version in its new stage.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or version; INVALID_PARAMETER_VALUE when the version is already in that stage.</exception>
    Task<ModelVersion> TransitionStageAsync(string name, long version, ModelStage stage, bool archiveExistingVersions, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Sets (adds or replaces) a version tag.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="version">The version number (1, 2, ...).</param>
    /// <param name="tag">The tag; an existing key gets the new value.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or version.</exception>
    Task SetModelVersionTagAsync(string name, long version, Tag tag, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a version tag; an absent key changes nothing.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="version">The version number (1, 2, ...).</param>
    /// <param name="key">The tag key.</param>
    /// <param name="actor">Who makes the change, recorded in the audit event; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown model or version.</exception>
    Task DeleteModelVersionTagAsync(string name, long version, string key, string? actor, CancellationToken cancellationToken = default);

    /// <summary>The audit trail, newest first; all models when <paramref name="name"/> is null.</summary>
    /// <param name="name">The model name at the time of each event, or null for every model.</param>
    /// <param name="maxResults">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<RegistryEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default);
}
