using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Storage.Sql;

namespace Keel.Storage.Sqlite;

/// <summary>Model versions: numbering, stages, tags, search.</summary>
public sealed partial class SqliteModelRegistryStore
{
    public Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(db =>
        {
            RegistryRows.RequireModel(db, version.Name);
            // Numbered inside the write transaction; max_version never goes down, so a deleted
            // version's number is not handed out again (as in MLflow, where deletes are soft).
            var number = (long)db.Scalar("SELECT max_version + 1 FROM registered_models WHERE name = $name", ("$name", version.Name))!;
            var now = Now();
            db.Execute("UPDATE registered_models SET max_version = $v, last_updated_timestamp = $now WHERE name = $name", ("$v", number), ("$now", now), ("$name", version.Name));
            db.Execute(
                """
                INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description, source, run_id, status, status_message, run_link, storage_location)
                VALUES ($name, $version, $now, $now, $user, $stage, $description, $source, $run, $status, NULL, $link, $location)
                """,
                ("$name", version.Name),
                ("$version", number),
                ("$now", now),
                ("$user", version.UserId ?? actor),
                ("$stage", ModelStage.None.ToWire()),
                ("$description", version.Description),
                ("$source", version.Source),
                ("$run", version.RunId),
                ("$status", ModelVersionStatus.Ready.ToWire()),
                ("$link", version.RunLink),
                ("$location", version.StorageLocation));
            foreach (var tag in version.Tags)
            {
                UpsertVersionTag(db, version.Name, number, tag);
            }

            var created = RegistryRows.RequireVersion(db, version.Name, number);
            AppendEvent(db, "create_model_version", version.Name, number, null, created, actor);
            return created;
        }, cancellationToken);
    }

    public Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken = default) =>
        ReadAsync(db => RegistryRows.RequireVersion(db, name, version), cancellationToken);

    public Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireVersion(db, name, version);
            db.Execute(
                "UPDATE model_versions SET description = $d, last_updated_timestamp = $now WHERE name = $name AND version = $version",
                ("$d", description), ("$now", Now()), ("$name", name), ("$version", version));
            var after = RegistryRows.RequireVersion(db, name, version);
            AppendEvent(db, "update_model_version", name, version, before, after, actor);
            return after;
        }, cancellationToken);

    public Task DeleteModelVersionAsync(string name, long version, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireVersion(db, name, version);
            // ON DELETE CASCADE removes the version's tags and the aliases pointing at it.
            db.Execute("DELETE FROM model_versions WHERE name = $name AND version = $version", ("$name", name), ("$version", version));
            db.Execute("UPDATE registered_models SET last_updated_timestamp = $now WHERE name = $name", ("$now", Now()), ("$name", name));
            AppendEvent(db, "delete_model_version", name, version, before, null, actor);
        }, cancellationToken);

    public Task<Page<ModelVersion>> SearchModelVersionsAsync(ModelVersionQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(db =>
        {
            var translator = new RegistrySearchSql(SqliteDialect.Instance);
            using var command = db.Command(translator.Build(query));
            translator.Parameters.Bind(command);
            var versions = RegistryRows.Versions(db, command);
            return Overfetch.ToPage(versions, query.MaxResults);
        }, cancellationToken);

    public Task<ModelVersion> TransitionStageAsync(string name, long version, ModelStage stage, bool archiveExistingVersions, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireVersion(db, name, version);
            before.CurrentStage.EnsureCanMoveTo(stage, name, before.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var now = Now();
            if (archiveExistingVersions && stage is ModelStage.Staging or ModelStage.Production)
            {
                var others = RegistryRows.Versions(
                    db,
                    $"SELECT {RegistryTables.VersionColumns} FROM model_versions mv WHERE mv.name = $name AND mv.current_stage = $stage AND mv.version <> $version",
                    ("$name", name), ("$stage", stage.ToWire()), ("$version", version));
                foreach (var other in others)
                {
                    SetStage(db, name, other.Version, ModelStage.Archived, now);
                    AppendEvent(db, "transition_model_version_stage", name, other.Version, other, RegistryRows.RequireVersion(db, name, other.Version), actor);
                }
            }

            SetStage(db, name, version, stage, now);
            db.Execute("UPDATE registered_models SET last_updated_timestamp = $now WHERE name = $name", ("$now", now), ("$name", name));
            var after = RegistryRows.RequireVersion(db, name, version);
            AppendEvent(db, "transition_model_version_stage", name, version, before, after, actor);
            return after;
        }, cancellationToken);

    public Task SetModelVersionTagAsync(string name, long version, Tag tag, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireVersion(db, name, version);
            UpsertVersionTag(db, name, version, tag);
            AppendEvent(db, "set_model_version_tag", name, version, before, RegistryRows.RequireVersion(db, name, version), actor);
        }, cancellationToken);

    public Task DeleteModelVersionTagAsync(string name, long version, string key, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(db =>
        {
            var before = RegistryRows.RequireVersion(db, name, version);
            db.Execute("DELETE FROM model_version_tags WHERE name = $name AND version = $version AND key = $key", ("$name", name), ("$version", version), ("$key", key));
            AppendEvent(db, "delete_model_version_tag", name, version, before, RegistryRows.RequireVersion(db, name, version), actor);
        }, cancellationToken);

    private static void SetStage(Db db, string name, long version, ModelStage stage, long now) =>
        db.Execute(
            "UPDATE model_versions SET current_stage = $stage, last_updated_timestamp = $now WHERE name = $name AND version = $version",
            ("$stage", stage.ToWire()), ("$now", now), ("$name", name), ("$version", version));

    private static void UpsertVersionTag(Db db, string name, long version, Tag tag) =>
        db.Execute(
            "INSERT INTO model_version_tags (name, version, key, value) VALUES ($name, $version, $key, $value) ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value",
            ("$name", name), ("$version", version), ("$key", tag.Key), ("$value", tag.Value));
}
