using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Loads registry entities with their tags, aliases and latest versions.</summary>
internal static class RegistryRows
{
    public static RegisteredModel RequireModel(Db db, string name) => Model(db, name) ?? throw RegistryTables.ModelNotFound(name);

    public static ModelVersion RequireVersion(Db db, string name, long version) => Version(db, name, version) ?? throw RegistryTables.VersionNotFound(name, version);

    public static RegisteredModel? Model(Db db, string name) =>
        Models(db, $"SELECT {RegistryTables.ModelColumns} FROM registered_models rm WHERE rm.name = $name", ("$name", name)).SingleOrDefault();

    public static List<RegisteredModel> Models(Db db, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = db.Command(sql, parameters);
        return Models(db, command);
    }

    public static List<RegisteredModel> Models(Db db, SqliteCommand command)
    {
        var rows = new List<ModelRow>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(RegistryTables.ReadModel(reader));
            }
        }

        return rows.ConvertAll(r => new RegisteredModel(
            r.Name, r.Created, r.Updated, r.User, r.Description, LatestVersions(db, r.Name), Tags(db, "registered_model_tags", r.Name, null), Aliases(db, r.Name)));
    }

    public static ModelVersion? Version(Db db, string name, long version) =>
        Versions(db, $"SELECT {RegistryTables.VersionColumns} FROM model_versions mv WHERE mv.name = $name AND mv.version = $version", ("$name", name), ("$version", version)).SingleOrDefault();

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
                rows.Add(RegistryTables.ReadVersion(reader));
            }
        }

        return rows.ConvertAll(v => v with { Tags = Tags(db, "model_version_tags", v.Name, v.Version), Aliases = VersionAliases(db, v.Name, v.Version) });
    }

    /// <summary>The highest version in each stage, in version order (MLflow's <c>latest_versions</c>).</summary>
    public static List<ModelVersion> LatestVersions(Db db, string name) =>
        Versions(db, $"""
            SELECT {RegistryTables.VersionColumns} FROM model_versions mv
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
}
