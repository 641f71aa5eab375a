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

    /// <summary>The models of <paramref name="command"/>'s rows, each with its latest versions, tags and aliases.</summary>
    public static List<RegisteredModel> Models(Db db, SqliteCommand command) =>
        RowReaders.ReadAll(command, RegistryTables.ReadModel).ConvertAll(r => new RegisteredModel(
            r.Name, r.Created, r.Updated, r.User, r.Description, LatestVersions(db, r.Name), Tags(db, "registered_model_tags", r.Name, null), Aliases(db, r.Name)));

    public static ModelVersion? Version(Db db, string name, long version) =>
        Versions(db, $"SELECT {RegistryTables.VersionColumns} FROM model_versions mv WHERE mv.name = $name AND mv.version = $version", ("$name", name), ("$version", version)).SingleOrDefault();

    public static List<ModelVersion> Versions(Db db, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = db.Command(sql, parameters);
        return Versions(db, command);
    }

    /// <summary>The versions of <paramref name="command"/>'s rows, each with its tags and aliases.</summary>
    public static List<ModelVersion> Versions(Db db, SqliteCommand command) =>
        RowReaders.ReadAll(command, RegistryTables.ReadVersion)
            .ConvertAll(v => v with { Tags = Tags(db, "model_version_tags", v.Name, v.Version), Aliases = VersionAliases(db, v.Name, v.Version) });

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
        return RowReaders.ReadAll(command, r => new Tag(r.GetString(0), r.GetString(1)));
    }

    private static List<ModelAlias> Aliases(Db db, string name)
    {
        using var command = db.Command("SELECT alias, version FROM registered_model_aliases WHERE name = $name ORDER BY alias", ("$name", name));
        return RowReaders.ReadAll(command, r => new ModelAlias(r.GetString(0), r.GetInt64(1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static List<string> VersionAliases(Db db, string name, long version)
    {
        using var command = db.Command("SELECT alias FROM registered_model_aliases WHERE name = $name AND version = $version ORDER BY alias", ("$name", name), ("$version", version));
        return RowReaders.ReadAll(command, r => r.GetString(0));
    }
}
