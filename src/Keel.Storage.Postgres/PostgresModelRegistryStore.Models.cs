using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>Registered models: create, read, rename, update, delete, search, tags and aliases.</summary>
public sealed partial class PostgresModelRegistryStore
{
    public Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<Tag> tags, string? description, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var now = Now();
            try
            {
                await db.ExecuteAsync(
                    "INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, user_id, description) VALUES ($1, $2, $2, $3, $4)",
                    cancellationToken, name, now, Text(actor), Text(description)).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.UniqueViolation)
            {
                throw RegistryTables.ModelExists(name);
            }

            foreach (var tag in tags)
            {
                await UpsertModelTagAsync(db, name, tag, cancellationToken).ConfigureAwait(false);
            }

            var created = await RegistryRows.RequireModelAsync(db, name, cancellationToken).ConfigureAwait(false);
            await AppendEventAsync(db, "create_registered_model", name, null, null, RegistrySnapshot.Of(created), actor, cancellationToken).ConfigureAwait(false);
            return created;
        }, cancellationToken);

    public Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(db => RegistryRows.RequireModelAsync(db, name, cancellationToken), cancellationToken);

    public Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadAsync(db, name, cancellationToken).ConfigureAwait(false);
            if (name != newName && await db.ScalarAsync("SELECT 1 FROM registered_models WHERE name = $1", cancellationToken, newName).ConfigureAwait(false) is not null)
            {
                throw RegistryTables.ModelExists(newName);
            }

            var now = Now();
            try
            {
                // ON UPDATE CASCADE carries versions, tags and aliases to the new name.
                await db.ExecuteAsync("UPDATE registered_models SET name = $1, last_updated_timestamp = $2 WHERE name = $3", cancellationToken, newName, now, name).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.UniqueViolation)
            {
                throw RegistryTables.ModelExists(newName);
            }

            await db.ExecuteAsync("UPDATE model_versions SET last_updated_timestamp = $1 WHERE name = $2", cancellationToken, now, newName).ConfigureAwait(false);
            var after = await RegistryRows.RequireModelAsync(db, newName, cancellationToken).ConfigureAwait(false);
            await AppendEventAsync(db, "rename_registered_model", newName, null, RegistrySnapshot.Of(before), RegistrySnapshot.Of(after), actor, cancellationToken).ConfigureAwait(false);
            return after;
        }, cancellationToken);

    public Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadAsync(db, name, cancellationToken).ConfigureAwait(false);
            await db.ExecuteAsync("UPDATE registered_models SET description = $1, last_updated_timestamp = $2 WHERE name = $3",
                cancellationToken, Text(description), Now(), name).ConfigureAwait(false);
            var after = await RegistryRows.RequireModelAsync(db, name, cancellationToken).ConfigureAwait(false);
            await AppendEventAsync(db, "update_registered_model", name, null, RegistrySnapshot.Of(before), RegistrySnapshot.Of(after), actor, cancellationToken).ConfigureAwait(false);
            return after;
        }, cancellationToken);

    public Task DeleteRegisteredModelAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadAsync(db, name, cancellationToken).ConfigureAwait(false);
            await db.ExecuteAsync("DELETE FROM registered_models WHERE name = $1", cancellationToken, name).ConfigureAwait(false);
            await AppendEventAsync(db, "delete_registered_model", name, null, RegistrySnapshot.Of(before), null, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(RegisteredModelQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(async db =>
        {
            var translator = new RegistrySearchSql(PostgresDialect.Instance);
            var models = await RegistryRows.ModelsAsync(db, translator.Build(query), cancellationToken, [.. translator.Parameters.Values]).ConfigureAwait(false);
            return Overfetch.ToPage(models, query.MaxResults);
        }, cancellationToken);

    public Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelStage> stages, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ModelVersion>>(async db =>
        {
            var model = await RegistryRows.RequireModelAsync(db, name, cancellationToken).ConfigureAwait(false);
            return model.LatestVersions.Where(v => stages.Count == 0 || stages.Contains(v.CurrentStage)).ToList();
        }, cancellationToken);

    public Task SetRegisteredModelTagAsync(string name, Tag tag, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadAsync(db, name, cancellationToken).ConfigureAwait(false);
            await UpsertModelTagAsync(db, name, tag, cancellationToken).ConfigureAwait(false);
            await AppendModelChangeAsync(db, "set_registered_model_tag", name, null, before, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task DeleteRegisteredModelTagAsync(string name, string key, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadAsync(db, name, cancellationToken).ConfigureAwait(false);
            await db.ExecuteAsync("DELETE FROM registered_model_tags WHERE name = $1 AND key = $2", cancellationToken, name, key).ConfigureAwait(false);
            await AppendModelChangeAsync(db, "delete_registered_model_tag", name, null, before, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadAsync(db, name, cancellationToken).ConfigureAwait(false);
            await RegistryRows.RequireVersionAsync(db, name, version, cancellationToken).ConfigureAwait(false);
            await db.ExecuteAsync(
                "INSERT INTO registered_model_aliases (name, alias, version) VALUES ($1, $2, $3) ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version",
                cancellationToken, name, alias, version).ConfigureAwait(false);
            await AppendModelChangeAsync(db, "set_registered_model_alias", name, version, before, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async db =>
        {
            var before = await LockAndReadAsync(db, name, cancellationToken).ConfigureAwait(false);
            // Deleting an alias that is not set changes nothing and is not an error (MLflow's SQL store).
            if (await db.ExecuteAsync("DELETE FROM registered_model_aliases WHERE name = $1 AND alias = $2", cancellationToken, name, alias).ConfigureAwait(false) == 0)
            {
                return;
            }

            await AppendModelChangeAsync(db, "delete_registered_model_alias", name, null, before, actor, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        ReadAsync(async db =>
        {
            if (await db.ScalarAsync("SELECT 1 FROM registered_models WHERE name = $1", cancellationToken, name).ConfigureAwait(false) is null)
            {
                throw RegistryTables.ModelNotFound(name);
            }

            var version = await db.ScalarAsync("SELECT version FROM registered_model_aliases WHERE name = $1 AND alias = $2", cancellationToken, name, alias).ConfigureAwait(false)
                ?? throw RegistryTables.AliasNotFound(alias);
            return await RegistryRows.RequireVersionAsync(db, name, (long)version, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Locks the model (see <see cref="RegistryRows.LockModelAsync"/>) and reads it as it is before the change.</summary>
    private static async Task<RegisteredModel> LockAndReadAsync(PgDb db, string name, CancellationToken cancellationToken)
    {
        await RegistryRows.LockModelAsync(db, name, cancellationToken).ConfigureAwait(false);
        return await RegistryRows.RequireModelAsync(db, name, cancellationToken).ConfigureAwait(false);
    }

    private async Task AppendModelChangeAsync(PgDb db, string action, string name, long? version, RegisteredModel before, string? actor, CancellationToken cancellationToken)
    {
        var after = await RegistryRows.RequireModelAsync(db, name, cancellationToken).ConfigureAwait(false);
        await AppendEventAsync(db, action, name, version, RegistrySnapshot.Of(before), RegistrySnapshot.Of(after), actor, cancellationToken).ConfigureAwait(false);
    }

    private static Task UpsertModelTagAsync(PgDb db, string name, Tag tag, CancellationToken cancellationToken) =>
        db.ExecuteAsync(
            "INSERT INTO registered_model_tags (name, key, value) VALUES ($1, $2, $3) ON CONFLICT (name, key) DO UPDATE SET value = EXCLUDED.value",
            cancellationToken, name, tag.Key, tag.Value);
}
