using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Storage.Sql;

namespace Keel.Storage.Sqlite;

/// <summary>Registered models: create, read, rename, update, delete, search, tags and aliases.</summary>
public sealed partial class SqliteModelRegistryStore
{
    public Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<Tag> tags, string? description, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            if (db.Scalar("SELECT 1 FROM registered_models WHERE name = $name", ("$name", name)) is not null)
            {
                throw RegistryTables.ModelExists(name);
            }

            var now = Now();
            db.Execute(
                "INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, user_id, description) VALUES ($name, $now, $now, $user, $description)",
                ("$name", name), ("$now", now), ("$user", actor), ("$description", description));
            foreach (var tag in tags)
            {
                UpsertModelTag(db, name, tag);
            }

            var created = RegistryRows.RequireModel(db, name);
            AppendEvent(db, "create_registered_model", name, null, null, created, actor);
            return created;
        }, cancellationToken);

    public Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(db => RegistryRows.RequireModel(db, name), cancellationToken);

    public Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireModel(db, name);
            if (name != newName && db.Scalar("SELECT 1 FROM registered_models WHERE name = $name", ("$name", newName)) is not null)
            {
                throw RegistryTables.ModelExists(newName);
            }

            var now = Now();
            // ON UPDATE CASCADE carries versions, tags and aliases to the new name.
            db.Execute("UPDATE registered_models SET name = $new, last_updated_timestamp = $now WHERE name = $name", ("$new", newName), ("$now", now), ("$name", name));
            db.Execute("UPDATE model_versions SET last_updated_timestamp = $now WHERE name = $name", ("$now", now), ("$name", newName));
            var after = RegistryRows.RequireModel(db, newName);
            AppendEvent(db, "rename_registered_model", newName, null, before, after, actor);
            return after;
        }, cancellationToken);

    public Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireModel(db, name);
            db.Execute("UPDATE registered_models SET description = $d, last_updated_timestamp = $now WHERE name = $name", ("$d", description), ("$now", Now()), ("$name", name));
            var after = RegistryRows.RequireModel(db, name);
            AppendEvent(db, "update_registered_model", name, null, before, after, actor);
            return after;
        }, cancellationToken);

    public Task DeleteRegisteredModelAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireModel(db, name);
            db.Execute("DELETE FROM registered_models WHERE name = $name", ("$name", name));
            AppendEvent(db, "delete_registered_model", name, null, before, null, actor);
        }, cancellationToken);

    public Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(RegisteredModelQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(db =>
        {
            var translator = new RegistrySearchSql(SqliteDialect.Instance);
            using var command = db.Command(translator.Build(query));
            translator.Parameters.Bind(command);
            var models = RegistryRows.Models(db, command);
            return Overfetch.ToPage(models, query.MaxResults);
        }, cancellationToken);

    public Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelStage> stages, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ModelVersion>>(db =>
        {
            RegistryRows.RequireModel(db, name);
            return RegistryRows.LatestVersions(db, name).Where(v => stages.Count == 0 || stages.Contains(v.CurrentStage)).ToList();
        }, cancellationToken);

    public Task SetRegisteredModelTagAsync(string name, Tag tag, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireModel(db, name);
            UpsertModelTag(db, name, tag);
            AppendEvent(db, "set_registered_model_tag", name, null, before, RegistryRows.RequireModel(db, name), actor);
        }, cancellationToken);

    public Task DeleteRegisteredModelTagAsync(string name, string key, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireModel(db, name);
            db.Execute("DELETE FROM registered_model_tags WHERE name = $name AND key = $key", ("$name", name), ("$key", key));
            AppendEvent(db, "delete_registered_model_tag", name, null, before, RegistryRows.RequireModel(db, name), actor);
        }, cancellationToken);

    public Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireModel(db, name);
            RegistryRows.RequireVersion(db, name, version);
            db.Execute(
                "INSERT INTO registered_model_aliases (name, alias, version) VALUES ($name, $alias, $version) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
                ("$name", name), ("$alias", alias), ("$version", version));
            AppendEvent(db, "set_registered_model_alias", name, version, before, RegistryRows.RequireModel(db, name), actor);
        }, cancellationToken);

    public Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireModel(db, name);
            // Deleting an alias that is not set changes nothing and is not an error (MLflow's SQL store).
            if (db.Execute("DELETE FROM registered_model_aliases WHERE name = $name AND alias = $alias", ("$name", name), ("$alias", alias)) == 0)
            {
                return;
            }

            AppendEvent(db, "delete_registered_model_alias", name, null, before, RegistryRows.RequireModel(db, name), actor);
        }, cancellationToken);

    public Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        ReadAsync(db =>
        {
            RegistryRows.RequireModel(db, name);
            var version = db.Scalar("SELECT version FROM registered_model_aliases WHERE name = $name AND alias = $alias", ("$name", name), ("$alias", alias))
                ?? throw RegistryTables.AliasNotFound(alias);
            return RegistryRows.RequireVersion(db, name, (long)version);
        }, cancellationToken);

    private static void UpsertModelTag(Db db, string name, Tag tag) =>
        db.Execute(
            "INSERT INTO registered_model_tags (name, key, value) VALUES ($name, $key, $value) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value",
            ("$name", name), ("$key", tag.Key), ("$value", tag.Value));
}
