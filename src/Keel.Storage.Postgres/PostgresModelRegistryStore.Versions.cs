using System.Globalization;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Storage.Sql;

namespace Keel.Storage.Postgres;

/// <summary>Model versions: numbering, stages, tags, search.</summary>
public sealed partial class PostgresModelRegistryStore
{
    public Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(async db =>
        {
            var now = Now();
            // Numbered on the model's row, which the UPDATE locks: concurrent creations queue up and
            // each gets the next number. max_version never goes down, so a deleted version's
            // number is not handed out again (as in MLflow, where deletes are soft).
            var number = await db.ScalarAsync(
                "UPDATE registered_models SET max_version = max_version + 1, last_updated_timestamp = $2 WHERE name = $1 RETURNING max_version",
                cancellationToken, version.Name, now).ConfigureAwait(false) as long? ?? throw RegistryTables.ModelNotFound(version.Name);
            await db.ExecuteAsync(
                """
                INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description, source, run_id, status, status_message, run_link, storage_location)
                VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11)
                """,
                cancellationToken,
                version.Name, number, now, Text(version.UserId ?? actor), ModelStage.None.ToWire(), Text(version.Description), version.Source,
                Text(version.RunId), ModelVersionStatus.Ready.ToWire(), Text(version.RunLink), Text(version.StorageLocation)).ConfigureAwait(false);
            foreach (var tag in version.Tags)
            {
                await UpsertVersionTagAsync(db, version.Name, number, tag, cancellationToken).ConfigureAwait(false);
            }

            var created = await RegistryRows.RequireVersionAsync(db, version.Name, number, cancellationToken).ConfigureAwait(false);
            await AppendEventAsync(db, "create_model_version", version.Name, number, null, RegistrySnapshot.Of(created), actor, cancellationToken).ConfigureAwait(false);
            return created;
        }, cancellationToken);
    }

    public Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken = default) =>
        ReadAsync(db => RegistryRows.RequireVersionAsync(db, name, version, cancellationToken), cancellationToken);

    public Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadVersionAsync(db, name, version, cancellationToken).ConfigureAwait(false);
            await db.ExecuteAsync("UPDATE model_versions SET description = $1, last_updated_timestamp = $2 WHERE name = $3 AND version = $4",
                cancellationToken, Text(description), Now(), name, version).ConfigureAwait(false);
            return await AppendVersionChangeAsync(db, "update_model_version", before, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task DeleteModelVersionAsync(string name, long version, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadVersionAsync(db, name, version, cancellationToken).ConfigureAwait(false);
            // ON DELETE CASCADE removes the version's tags and the aliases pointing at it.
            await db.ExecuteAsync("DELETE FROM model_versions WHERE name = $1 AND version = $2", cancellationToken, name, version).ConfigureAwait(false);
            await db.ExecuteAsync("UPDATE registered_models SET last_updated_timestamp = $1 WHERE name = $2", cancellationToken, Now(), name).ConfigureAwait(false);
            await AppendEventAsync(db, "delete_model_version", name, version, RegistrySnapshot.Of(before), null, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<Page<ModelVersion>> SearchModelVersionsAsync(ModelVersionQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(async db =>
        {
            var translator = new RegistrySearchSql(PostgresDialect.Instance);
            var versions = await RegistryRows.VersionsAsync(db, translator.Build(query), cancellationToken, [.. translator.Parameters.Values]).ConfigureAwait(false);
            return Overfetch.ToPage(versions, query.MaxResults);
        }, cancellationToken);

    public Task<ModelVersion> TransitionStageAsync(string name, long version, ModelStage stage, bool archiveExistingVersions, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadVersionAsync(db, name, version, cancellationToken).ConfigureAwait(false);
            before.CurrentStage.EnsureCanMoveTo(stage, name, before.Version.ToString(CultureInfo.InvariantCulture));
            var now = Now();
            if (archiveExistingVersions && stage is ModelStage.Staging or ModelStage.Production)
            {
                var others = await RegistryRows.VersionsAsync(db,
                    $"SELECT {RegistryTables.VersionColumns} FROM model_versions mv WHERE mv.name = $1 AND mv.current_stage = $2 AND mv.version <> $3 ORDER BY mv.version",
                    cancellationToken, name, stage.ToWire(), version).ConfigureAwait(false);
                foreach (var other in others)
                {
                    await SetStageAsync(db, name, other.Version, ModelStage.Archived, now, cancellationToken).ConfigureAwait(false);
                    await AppendVersionChangeAsync(db, "transition_model_version_stage", other, actor, cancellationToken).ConfigureAwait(false);
                }
            }

            await SetStageAsync(db, name, version, stage, now, cancellationToken).ConfigureAwait(false);
            await db.ExecuteAsync("UPDATE registered_models SET last_updated_timestamp = $1 WHERE name = $2", cancellationToken, now, name).ConfigureAwait(false);
            return await AppendVersionChangeAsync(db, "transition_model_version_stage", before, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task SetModelVersionTagAsync(string name, long version, Tag tag, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadVersionAsync(db, name, version, cancellationToken).ConfigureAwait(false);
            await UpsertVersionTagAsync(db, name, version, tag, cancellationToken).ConfigureAwait(false);
            await AppendVersionChangeAsync(db, "set_model_version_tag", before, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task DeleteModelVersionTagAsync(string name, long version, string key, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadVersionAsync(db, name, version, cancellationToken).ConfigureAwait(false);
            await db.ExecuteAsync("DELETE FROM model_version_tags WHERE name = $1 AND version = $2 AND key = $3", cancellationToken, name, version, key).ConfigureAwait(false);
            await AppendVersionChangeAsync(db, "delete_model_version_tag", before, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static async Task<ModelVersion> LockAndReadVersionAsync(PgDb db, string name, long version, CancellationToken cancellationToken)
    {
        await RegistryRows.LockModelAsync(db, name, cancellationToken).ConfigureAwait(false);
        return await RegistryRows.RequireVersionAsync(db, name, version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a version-level change with the version as it was and as it is now; returns the latter.</summary>
    private async Task<ModelVersion> AppendVersionChangeAsync(PgDb db, string action, ModelVersion before, string? actor, CancellationToken cancellationToken)
    {
        var after = await RegistryRows.RequireVersionAsync(db, before.Name, before.Version, cancellationToken).ConfigureAwait(false);
        await AppendEventAsync(db, action, before.Name, before.Version, RegistrySnapshot.Of(before), RegistrySnapshot.Of(after), actor, cancellationToken).ConfigureAwait(false);
        return after;
    }

    private static Task SetStageAsync(PgDb db, string name, long version, ModelStage stage, long now, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE model_versions SET current_stage = $1, last_updated_timestamp = $2 WHERE name = $3 AND version = $4",
            cancellationToken, stage.ToWire(), now, name, version);

    private static Task UpsertVersionTagAsync(PgDb db, string name, long version, Tag tag, CancellationToken cancellationToken) =>
        db.ExecuteAsync(
            "INSERT INTO model_version_tags (name, version, key, value) VALUES ($1, $2, $3, $4) ON CONFLICT (name, version, key) DO UPDATE SET value = EXCLUDED.value",
            cancellationToken, name, version, tag.Key, tag.Value);
}
