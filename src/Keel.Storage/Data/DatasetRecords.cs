using System.Data.Common;
using System.Globalization;
using System.Text;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.Storage.Sql;

namespace Keel.Storage.Data;

/// <summary>
/// The dataset store's SQL, written once for SQLite and PostgreSQL over ADO.NET: both run the same
/// statements (positional <c>$1</c> parameters, <c>ON CONFLICT</c>), and differ only in how a
/// parameter is named and in the row lock an add takes (PostgreSQL's <c>FOR UPDATE</c>; SQLite has
/// one writer, so its transactions are serial already). The methods are asynchronous for
/// PostgreSQL; on SQLite they complete synchronously inside its writer callback.
/// </summary>
internal sealed class DatasetRecords : PortableSql
{
    private const string VersionColumns =
        "name, version, manifest_digest, format, file_count, size_bytes, row_count, schema_json, {0}, source, description, created_time, created_by";

    private readonly string _lock;
    private readonly TimeProvider _time;

    /// <param name="namedParameters">True for SQLite (parameters named <c>$1</c>), false for PostgreSQL (positional).</param>
    /// <param name="rowLock">The clause that locks a selected row for the transaction, or empty.</param>
    /// <param name="time">The clock for timestamps.</param>
    public DatasetRecords(bool namedParameters, string rowLock, TimeProvider time)
        : base(namedParameters)
    {
        _lock = rowLock;
        _time = time;
    }

    public async Task<AddedDatasetVersion> AddVersionAsync(DbConnection connection, DbTransaction transaction, NewDatasetVersion v, string? actor, CancellationToken cancellationToken)
    {
        var now = Now();
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO versioned_datasets (name, description, created_time, updated_time, latest_version, suite) VALUES ($1, $2, $3, $3, 0, NULL) ON CONFLICT (name) DO NOTHING",
            v.Name, v.DatasetDescription, now).ConfigureAwait(false);

        // The lock serialises adds to one dataset: the second of two equal adds sees the first's version.
        var latest = (long)(await ScalarAsync(connection, transaction, cancellationToken, "SELECT latest_version FROM versioned_datasets WHERE name = $1" + _lock, v.Name).ConfigureAwait(false))!;
        if (latest > 0)
        {
            var current = await FindVersionAsync(connection, transaction, v.Name, latest, cancellationToken).ConfigureAwait(false);
            if (current is not null && current.ManifestDigest == v.ManifestDigest)
            {
                return new AddedDatasetVersion(current, Created: false);
            }
        }

        var next = latest + 1;
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO dataset_versions (name, version, manifest_digest, format, file_count, size_bytes, row_count, schema_json, profile, validation, source, description, created_time, created_by) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            v.Name, next, v.ManifestDigest, v.Format, v.FileCount, v.SizeBytes, v.RowCount, v.Schema, v.Profile, v.Validation, v.Source, v.Description, now, actor).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "UPDATE versioned_datasets SET latest_version = $2, updated_time = $3, description = COALESCE(CAST($4 AS TEXT), description) WHERE name = $1",
            v.Name, next, now, v.DatasetDescription).ConfigureAwait(false);
        await AppendEventAsync(connection, transaction, "version.add", v.Name, string.Create(CultureInfo.InvariantCulture, $"version {next} ({v.ManifestDigest})"), actor, cancellationToken).ConfigureAwait(false);
        var added = await FindVersionAsync(connection, transaction, v.Name, next, cancellationToken).ConfigureAwait(false);
        return new AddedDatasetVersion(added!, Created: true);
    }

    public async Task<VersionedDataset?> FindDatasetAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, transaction, cancellationToken, ReadDataset,
            "SELECT name, description, created_time, updated_time, latest_version, suite FROM versioned_datasets WHERE name = $1", name).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0] with { Aliases = await AliasesAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false) };
    }

    public async Task<PagedList<VersionedDataset>> ListDatasetsAsync(DbConnection connection, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var after = DecodeName(pageToken);
        var rows = await ListAsync(
            connection, null, cancellationToken, ReadDataset,
            "SELECT name, description, created_time, updated_time, latest_version, suite FROM versioned_datasets WHERE name > $1 ORDER BY name LIMIT $2",
            after, maxResults + 1).ConfigureAwait(false);
        var page = new List<VersionedDataset>(Math.Min(rows.Count, maxResults));
        foreach (var row in rows.Take(maxResults))
        {
            page.Add(row with { Aliases = await AliasesAsync(connection, null, row.Name, cancellationToken).ConfigureAwait(false) });
        }

        return new PagedList<VersionedDataset>(page, rows.Count > maxResults ? EncodeName(page[^1].Name) : null);
    }

    public async Task<DatasetVersion?> FindVersionAsync(DbConnection connection, DbTransaction? transaction, string name, long version, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, transaction, cancellationToken, ReadVersion,
            "SELECT " + string.Format(CultureInfo.InvariantCulture, VersionColumns, "profile, validation") + " FROM dataset_versions WHERE name = $1 AND version = $2",
            name, version).ConfigureAwait(false);
        return rows.Count == 0 ? null : await WithAliasesAsync(connection, transaction, rows[0], cancellationToken).ConfigureAwait(false);
    }

    public async Task<PagedList<DatasetVersion>> ListVersionsAsync(DbConnection connection, string name, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, null, cancellationToken, "SELECT 1 FROM versioned_datasets WHERE name = $1", name).ConfigureAwait(false) is null)
        {
            throw NotFound(name);
        }

        var before = DecodeVersion(pageToken);
        var rows = await ListAsync(
            connection, null, cancellationToken, ReadVersion,
            "SELECT " + string.Format(CultureInfo.InvariantCulture, VersionColumns, "NULL, NULL") + " FROM dataset_versions WHERE name = $1 AND version < $2 ORDER BY version DESC LIMIT $3",
            name, before, maxResults + 1).ConfigureAwait(false);
        var aliases = await AliasesAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
        var page = rows.Take(maxResults).Select(r => r with { Aliases = AliasesOf(aliases, r.Version) }).ToList();
        return new PagedList<DatasetVersion>(page, rows.Count > maxResults ? page[^1].Version.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<IReadOnlyList<DatasetVersion>> FindVersionsByDigestAsync(DbConnection connection, string digest, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(
            connection, null, cancellationToken, ReadVersion,
            "SELECT " + string.Format(CultureInfo.InvariantCulture, VersionColumns, "NULL, NULL") + " FROM dataset_versions WHERE manifest_digest = $1 ORDER BY created_time, name, version",
            digest).ConfigureAwait(false);
        var result = new List<DatasetVersion>(rows.Count);
        foreach (var row in rows)
        {
            result.Add(await WithAliasesAsync(connection, null, row, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    public async Task SetAliasAsync(DbConnection connection, DbTransaction transaction, string name, string alias, long version, string? actor, CancellationToken cancellationToken)
    {
        await RequireVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO dataset_aliases (name, alias, version) VALUES ($1, $2, $3) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
            name, alias, version).ConfigureAwait(false);
        await TouchAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
        await AppendEventAsync(connection, transaction, "alias.set", name, string.Create(CultureInfo.InvariantCulture, $"{alias} -> {version}"), actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAliasAsync(DbConnection connection, DbTransaction transaction, string name, string alias, string? actor, CancellationToken cancellationToken)
    {
        await RequireDatasetAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
        if (await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM dataset_aliases WHERE name = $1 AND alias = $2", name, alias).ConfigureAwait(false) == 0)
        {
            throw KeelException.NotFound($"Dataset '{name}' has no alias '{alias}'.");
        }

        await TouchAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
        await AppendEventAsync(connection, transaction, "alias.delete", name, alias, actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<VersionedDataset> UpdateDatasetAsync(DbConnection connection, DbTransaction transaction, string name, string? description, string? suite, string? actor, CancellationToken cancellationToken)
    {
        await RequireDatasetAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);

        // null keeps a field, "" clears it.
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "UPDATE versioned_datasets SET description = CASE WHEN CAST($2 AS TEXT) IS NULL THEN description WHEN $2 = '' THEN NULL ELSE $2 END, "
            + "suite = CASE WHEN CAST($3 AS TEXT) IS NULL THEN suite WHEN $3 = '' THEN NULL ELSE $3 END, updated_time = $4 WHERE name = $1",
            name, description, suite, Now()).ConfigureAwait(false);
        var changes = new List<string>(2);
        if (description is not null)
        {
            changes.Add(description.Length == 0 ? "description cleared" : "description set");
        }

        if (suite is not null)
        {
            changes.Add(suite.Length == 0 ? "suite cleared" : "suite set");
        }

        await AppendEventAsync(connection, transaction, "dataset.update", name, string.Join(", ", changes), actor, cancellationToken).ConfigureAwait(false);
        return (await FindDatasetAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task DeleteDatasetAsync(DbConnection connection, DbTransaction transaction, string name, string? actor, CancellationToken cancellationToken)
    {
        // Children first: the foreign keys cascade on PostgreSQL, and on SQLite only where enabled.
        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM dataset_aliases WHERE name = $1", name).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM dataset_versions WHERE name = $1", name).ConfigureAwait(false);
        if (await ExecuteAsync(connection, transaction, cancellationToken, "DELETE FROM versioned_datasets WHERE name = $1", name).ConfigureAwait(false) == 0)
        {
            throw NotFound(name);
        }

        await AppendEventAsync(connection, transaction, "dataset.delete", name, null, actor, cancellationToken).ConfigureAwait(false);
    }

    public Task<List<DatasetEvent>> ListEventsAsync(DbConnection connection, string? name, int maxResults, CancellationToken cancellationToken) =>
        name is null
            ? ListAsync(connection, null, cancellationToken, ReadEvent, "SELECT id, timestamp, actor, action, dataset, detail FROM dataset_events ORDER BY id DESC LIMIT $1", maxResults)
            : ListAsync(connection, null, cancellationToken, ReadEvent, "SELECT id, timestamp, actor, action, dataset, detail FROM dataset_events WHERE dataset = $1 ORDER BY id DESC LIMIT $2", name, maxResults);

    private static KeelException NotFound(string name) => KeelException.NotFound($"Dataset '{name}' does not exist.");

    private static string EncodeName(string name) => Convert.ToBase64String(Encoding.UTF8.GetBytes(name));

    private static string DecodeName(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return string.Empty;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw KeelException.InvalidParameter($"Invalid page_token '{token}': pass the next_page_token of the previous page.");
        }
    }

    private static long DecodeVersion(string? token) =>
        string.IsNullOrEmpty(token) ? long.MaxValue
        : long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 ? version
        : throw KeelException.InvalidParameter($"Invalid page_token '{token}': pass the next_page_token of the previous page.");

    private static IReadOnlyList<string> AliasesOf(IReadOnlyDictionary<string, long> aliases, long version) =>
        [.. aliases.Where(a => a.Value == version).Select(a => a.Key).Order(StringComparer.Ordinal)];

    private static VersionedDataset ReadDataset(DbDataReader r) => new(
        r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), new Dictionary<string, long>(), r.IsDBNull(5) ? null : r.GetString(5));

    private static DatasetVersion ReadVersion(DbDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5),
        r.IsDBNull(6) ? null : r.GetInt64(6), Text(r, 7), Text(r, 8), Text(r, 9), Text(r, 10), Text(r, 11), r.GetInt64(12), Text(r, 13), []);

    private static DatasetEvent ReadEvent(DbDataReader r) => new(r.GetInt64(0), r.GetInt64(1), Text(r, 2), r.GetString(3), r.GetString(4), Text(r, 5));

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<DatasetVersion> WithAliasesAsync(DbConnection connection, DbTransaction? transaction, DatasetVersion version, CancellationToken cancellationToken) =>
        version with { Aliases = AliasesOf(await AliasesAsync(connection, transaction, version.Name, cancellationToken).ConfigureAwait(false), version.Version) };

    private async Task<IReadOnlyDictionary<string, long>> AliasesAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, cancellationToken, r => (r.GetString(0), r.GetInt64(1)), "SELECT alias, version FROM dataset_aliases WHERE name = $1 ORDER BY alias", name).ConfigureAwait(false);
        return rows.ToDictionary(a => a.Item1, a => a.Item2, StringComparer.Ordinal);
    }

    private async Task RequireDatasetAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, transaction, cancellationToken, "SELECT 1 FROM versioned_datasets WHERE name = $1" + _lock, name).ConfigureAwait(false) is null)
        {
            throw NotFound(name);
        }
    }

    private async Task RequireVersionAsync(DbConnection connection, DbTransaction transaction, string name, long version, CancellationToken cancellationToken)
    {
        await RequireDatasetAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
        if (await ScalarAsync(connection, transaction, cancellationToken, "SELECT 1 FROM dataset_versions WHERE name = $1 AND version = $2", name, version).ConfigureAwait(false) is null)
        {
            throw KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Dataset '{name}' has no version {version}."));
        }
    }

    private Task<int> TouchAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, cancellationToken, "UPDATE versioned_datasets SET updated_time = $2 WHERE name = $1", name, Now());

    private Task<int> AppendEventAsync(DbConnection connection, DbTransaction transaction, string action, string name, string? detail, string? actor, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO dataset_events (timestamp, actor, action, dataset, detail) VALUES ($1, CAST($2 AS TEXT), $3, $4, CAST($5 AS TEXT))",
            Now(), actor, action, name, detail);
}
