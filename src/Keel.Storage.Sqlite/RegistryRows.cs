using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Loads registry entities (with their tags, aliases and latest versions) and words the not-found errors.</summary>
internal static class RegistryRows
{
    public const string VersionColumns =
        "mv.name, mv.version, mv.creation_timestamp, mv.last_updated_timestamp, mv.user_id, mv.current_stage, mv.description, mv.source, mv.run_id, mv.status, mv.status_message, mv.run_link, mv.storage_location";

    public const string ModelColumns = "rm.name, rm.creation_timestamp, rm.last_updated_timestamp, rm.user_id, rm.description";

    public static KeelException ModelNotFound(string name) => KeelException.NotFound($"Registered Model with name={name} not found");

    public static KeelException VersionNotFound(string name, long version) =>
        KeelException.NotFound($"Model Version (name={name}, version={version}) not found");

    public static KeelException AliasNotFound(string alias) =>
        KeelException.NotFound($"Registered model alias {alias} not found.");

    public static KeelException ModelExists(string name) => KeelException.AlreadyExists($"Registered Model (name={name}) already exists.");

    public static RegisteredModel RequireModel(Db db, string name) => Model(db, name) ?? throw ModelNotFound(name);

    public static ModelVersion RequireVersion(Db db, string name, long version) => Version(db, name, version) ?? throw VersionNotFound(name, version);

    public static RegisteredModel? Model(Db db, string name) =>
        Models(db, $"SELECT {ModelColumns} FROM registered_models rm WHERE rm.name = $name", ("$name", name)).SingleOrDefault();

    public static List<RegisteredModel> Models(Db db, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = db.Command(sql, parameters);
        return Models(db, command);
    }

    public static List<RegisteredModel> Models(Db db, SqliteCommand command)
    {
        var rows = new List<(string Name, long Created, long Updated, string? User, string? Description)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), NullableString(reader, 3), NullableString(reader, 4)));
            }
        }

        return rows.ConvertAll(r => new RegisteredModel(
            r.Name, r.Created, r.Updated, r.User, r.Description, LatestVersions(db, r.Name), Tags(db, "registered_model_tags", r.Name, null), Aliases(db, r.Name)));
    }

    public static ModelVersion? Version(Db db, string name, long version) =>
        Versions(db, $"SELECT {VersionColumns} FROM model_versions mv WHERE mv.name = $name AND mv.version = $version", ("$name", name), ("$version", version)).SingleOrDefault();

    public static List<ModelVersion> Versions(Db db, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = db.Command(sql, parameters);
        return Versions(db, command);
    }

    public static List<ModelVersion> Versions(Db db, SqliteCommand command)
    {
        var rows = new List<ModelVersion>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ModelStages.TryParse(reader.GetString(5), out var stage);
                ModelVersionStatuses.TryParse(reader.GetString(9), out var status);
                rows.Add(new ModelVersion(
                    reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), NullableString(reader, 4), stage,
                    NullableString(reader, 6), reader.GetString(7), NullableString(reader, 8), status, NullableString(reader, 10), [],
                    NullableString(reader, 11), [])
                {
                    StorageLocation = NullableString(reader, 12),
                });
            }
        }

        return rows.ConvertAll(v => v with { Tags = Tags(db, "model_version_tags", v.Name, v.Version), Aliases = VersionAliases(db, v.Name, v.Version) });
    }

    /// <summary>The highest version in each stage, in version order (MLflow's <c>latest_versions</c>).</summary>
    public static List<ModelVersion> LatestVersions(Db db, string name) =>
        Versions(db, $"""
            SELECT {VersionColumns} FROM model_versions mv
            WHERE mv.name = $name AND mv.version = (SELECT MAX(o.version) FROM model_versions o WHERE o.name = mv.name AND o.current_stage = mv.current_stage)
            ORDER BY mv.version
            """, ("$name", name));

    private static List<Tag> Tags(Db db, string table, string name, long? version)
    {
        var sql = version is null
            ? $"SELECT key, value FROM {table} WHERE name = $name ORDER BY rowid"
            : $"SELECT key, value FROM {table} WHERE name = $name AND version = $version ORDER BY rowid";
        using var command = db.Command(sql, ("$name", name), ("$version", version));
        using var reader = command.ExecuteReader();
        var tags = new List<Tag>();
        while (reader.Read())
        {
            tags.Add(new Tag(reader.GetString(0), reader.GetString(1)));
        }

        return tags;
    }

    private static List<ModelAlias> Aliases(Db db, string name)
    {
        using var command = db.Command("SELECT alias, version FROM registered_model_aliases WHERE name = $name ORDER BY alias", ("$name", name));
        using var reader = command.ExecuteReader();
        var aliases = new List<ModelAlias>();
        while (reader.Read())
        {
            aliases.Add(new ModelAlias(reader.GetString(0), reader.GetInt64(1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return aliases;
    }

    private static List<string> VersionAliases(Db db, string name, long version)
    {
        using var command = db.Command("SELECT alias FROM registered_model_aliases WHERE name = $name AND version = $version ORDER BY alias", ("$name", name), ("$version", version));
        using var reader = command.ExecuteReader();
        var aliases = new List<string>();
        while (reader.Read())
        {
            aliases.Add(reader.GetString(0));
        }

        return aliases;
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
