using System.Globalization;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Storage.Sql;

namespace Keel.Storage.Postgres;

/// <summary>
/// Loads registry entities with their tags, aliases and latest versions: one query per table for a
/// whole page, not one per entity.
/// </summary>
internal static class RegistryRows
{
    /// <summary>
    /// Locks the model's row for the rest of the transaction: every registry change goes through
    /// it, so changes to one model are serialised (as SQLite's single writer does) and each
    /// before/after snapshot is exact. Changes to different models run in parallel.
    /// </summary>
    public static async Task LockModelAsync(PgDb db, string name, CancellationToken cancellationToken)
    {
        if (await db.ScalarAsync("SELECT 1 FROM registered_models WHERE name = $1 FOR UPDATE", cancellationToken, name).ConfigureAwait(false) is null)
        {
            throw RegistryTables.ModelNotFound(name);
        }
    }

    public static async Task<RegisteredModel> RequireModelAsync(PgDb db, string name, CancellationToken cancellationToken) =>
        (await ModelsAsync(db, $"SELECT {RegistryTables.ModelColumns} FROM registered_models rm WHERE rm.name = $1", cancellationToken, name).ConfigureAwait(false)).SingleOrDefault()
            ?? throw RegistryTables.ModelNotFound(name);

    public static async Task<ModelVersion> RequireVersionAsync(PgDb db, string name, long version, CancellationToken cancellationToken) =>
        (await VersionsAsync(db, $"SELECT {RegistryTables.VersionColumns} FROM model_versions mv WHERE mv.name = $1 AND mv.version = $2", cancellationToken, name, version).ConfigureAwait(false))
            .SingleOrDefault() ?? throw RegistryTables.VersionNotFound(name, version);

    public static async Task<List<RegisteredModel>> ModelsAsync(PgDb db, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        var rows = await db.ListAsync(sql, RegistryTables.ReadModel, cancellationToken, values).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return [];
        }

        var names = rows.Select(r => r.Name).ToArray();
        var latest = RowGroups.Group(await VersionsAsync(db, $"""
            SELECT {RegistryTables.VersionColumns} FROM model_versions mv
            WHERE mv.name = ANY($1)
              AND mv.version = (SELECT MAX(o.version) FROM model_versions o WHERE o.name = mv.name AND o.current_stage = mv.current_stage)
            ORDER BY mv.name, mv.version
            """, cancellationToken, (object)names).ConfigureAwait(false), v => v.Name);
        var tags = RowGroups.Group(await db.ListAsync("SELECT name, key, value FROM registered_model_tags WHERE name = ANY($1) ORDER BY ord",
            r => (r.GetString(0), new Tag(r.GetString(1), r.GetString(2))), cancellationToken, (object)names).ConfigureAwait(false), t => t.Item1);
        var aliases = RowGroups.Group(await db.ListAsync("SELECT name, alias, version FROM registered_model_aliases WHERE name = ANY($1) ORDER BY name, alias",
            r => (r.GetString(0), new ModelAlias(r.GetString(1), r.GetInt64(2).ToString(CultureInfo.InvariantCulture))), cancellationToken, (object)names).ConfigureAwait(false), a => a.Item1);

        return rows.ConvertAll(r => new RegisteredModel(
            r.Name, r.Created, r.Updated, r.User, r.Description,
            RowGroups.Get(latest, r.Name),
            RowGroups.Get(tags, r.Name).Select(t => t.Item2).ToList(),
            RowGroups.Get(aliases, r.Name).Select(a => a.Item2).ToList()));
    }

    public static async Task<List<ModelVersion>> VersionsAsync(PgDb db, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        var versions = await db.ListAsync(sql, RegistryTables.ReadVersion, cancellationToken, values).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return versions;
        }

        var names = versions.Select(v => v.Name).ToArray();
        var numbers = versions.Select(v => v.Version).ToArray();
        // (name, version) pairs as two parallel arrays, unnested together.
        var tags = RowGroups.Group(await db.ListAsync("""
            SELECT t.name, t.version, t.key, t.value FROM model_version_tags t
            JOIN unnest($1::text[], $2::int8[]) AS p(name, version) ON p.name = t.name AND p.version = t.version
            ORDER BY t.ord
            """, r => (Key: (r.GetString(0), r.GetInt64(1)), Tag: new Tag(r.GetString(2), r.GetString(3))), cancellationToken, names, numbers).ConfigureAwait(false), t => t.Key);
        var aliases = RowGroups.Group(await db.ListAsync("""
            SELECT a.name, a.version, a.alias FROM registered_model_aliases a
            JOIN unnest($1::text[], $2::int8[]) AS p(name, version) ON p.name = a.name AND p.version = a.version
            ORDER BY a.alias
            """, r => (Key: (r.GetString(0), r.GetInt64(1)), Alias: r.GetString(2)), cancellationToken, names, numbers).ConfigureAwait(false), a => a.Key);

        return versions.ConvertAll(v => v with
        {
            Tags = RowGroups.Get(tags, (v.Name, v.Version)).Select(t => t.Tag).ToList(),
            Aliases = RowGroups.Get(aliases, (v.Name, v.Version)).Select(a => a.Alias).ToList(),
        });
    }
}
