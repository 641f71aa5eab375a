using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>
/// The model-registry port. Input is validated above it (names, alias rules, stages, lengths); a
/// store enforces existence, unique names, version numbering and alias uniqueness atomically, and
/// records every change as a <see cref="RegistryEvent"/> in the same transaction. <paramref name="actor"/>
/// arguments name who made the change (null when unknown). Unknown names or versions raise
/// RESOURCE_DOES_NOT_EXIST with MLflow's wording. Implementations: SQLite, the REST client.
/// </summary>
public interface IModelRegistryStore
{
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<Tag> tags, string? description, string? actor, CancellationToken cancellationToken = default);

    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Renames a model; its versions follow.</summary>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, string? actor, CancellationToken cancellationToken = default);

    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a model with its versions, tags and aliases.</summary>
    Task DeleteRegisteredModelAsync(string name, string? actor, CancellationToken cancellationToken = default);

    Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(RegisteredModelQuery query, CancellationToken cancellationToken = default);

    /// <summary>The latest version in each of the given stages (all stages when empty).</summary>
    Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelStage> stages, CancellationToken cancellationToken = default);

    Task SetRegisteredModelTagAsync(string name, Tag tag, string? actor, CancellationToken cancellationToken = default);

    Task DeleteRegisteredModelTagAsync(string name, string key, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at a version, moving it if it pointed elsewhere.</summary>
    Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default);

    Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default);

    Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default);

    /// <summary>Creates the next version (max existing + 1) with status READY.</summary>
    Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, string? actor, CancellationToken cancellationToken = default);

    Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken = default);

    Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a version and the aliases pointing at it.</summary>
    Task DeleteModelVersionAsync(string name, long version, string? actor, CancellationToken cancellationToken = default);

    Task<Page<ModelVersion>> SearchModelVersionsAsync(ModelVersionQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a version to a stage (rules in <see cref="ModelStages"/>); with
    /// <paramref name="archiveExistingVersions"/>, other versions in that stage (Staging or
    /// Production only) move to Archived in the same transaction.
    /// </summary>
    Task<ModelVersion> TransitionStageAsync(string name, long version, ModelStage stage, bool archiveExistingVersions, string? actor, CancellationToken cancellationToken = default);

    Task SetModelVersionTagAsync(string name, long version, Tag tag, string? actor, CancellationToken cancellationToken = default);

    Task DeleteModelVersionTagAsync(string name, long version, string key, string? actor, CancellationToken cancellationToken = default);

    /// <summary>The audit trail, newest first; all models when <paramref name="name"/> is null.</summary>
    Task<IReadOnlyList<RegistryEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default);
}
