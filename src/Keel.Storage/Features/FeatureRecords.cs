using System.Data.Common;
using System.Globalization;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Storage.Sql;

namespace Keel.Storage.Features;

/// <summary>
/// The feature registry's SQL, written once for SQLite and PostgreSQL (as <see cref="Monitoring.AlertRecords"/> is).
/// Every version of every definition is a row of <c>feature_objects</c>; the current one of a live
/// definition has <c>live = 1</c>. The one-row <c>feature_catalog</c> holds the revision an apply
/// checks and raises in the same transaction (locked <c>FOR UPDATE</c> on PostgreSQL; SQLite's one
/// writer serialises already), so two concurrent applies cannot both succeed.
/// </summary>
internal sealed class FeatureRecords : PortableSql
{
    private const string ObjectColumns = "kind, name, version, definition, created_time, updated_time, created_by";

    private readonly string _lock;
    private readonly string? _databaseNow;
    private readonly TimeProvider _time;

    /// <param name="namedParameters">True for SQLite, false for PostgreSQL.</param>
    /// <param name="rowLock">The clause that locks a selected row for the transaction, or empty.</param>
    /// <param name="databaseNow">SQL for the database's clock in Unix milliseconds (lease checks), or null to use <paramref name="time"/>.</param>
    /// <param name="time">The clock for timestamps.</param>
    public FeatureRecords(bool namedParameters, string rowLock, string? databaseNow, TimeProvider time)
        : base(namedParameters)
    {
        _lock = rowLock;
        _databaseNow = databaseNow;
        _time = time;
    }

    public async Task<FeatureCatalog> GetCatalogAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var revision = await ScalarAsync(connection, transaction, cancellationToken, "SELECT revision FROM feature_catalog WHERE id = 1").ConfigureAwait(false);
        var objects = await ListAsync(connection, transaction, cancellationToken, ReadObject, "SELECT " + ObjectColumns + " FROM feature_objects WHERE live = 1").ConfigureAwait(false);
        return new FeatureCatalog(
            revision is null ? 0 : Convert.ToInt64(revision, CultureInfo.InvariantCulture),
            [.. objects.OrderBy(o => o.Kind).ThenBy(o => o.Name, StringComparer.Ordinal)]);
    }

    public async Task<FeatureCatalog> ApplyAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, cancellationToken, "INSERT INTO feature_catalog (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING").ConfigureAwait(false);
        var current = Convert.ToInt64(
            await ScalarAsync(connection, transaction, cancellationToken, "SELECT revision FROM feature_catalog WHERE id = 1" + _lock).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current != expectedRevision)
        {
            throw new FeatureCatalogConflictException(current, expectedRevision);
        }

        if (changes.Count == 0)
        {
            return await GetCatalogAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var change in changes)
        {
            var kind = FeatureDocuments.KindName(change.Kind);
            var live = await ScalarAsync(
                connection, transaction, cancellationToken, "SELECT version FROM feature_objects WHERE kind = $1 AND name = $2 AND live = 1" + _lock, kind, change.Name).ConfigureAwait(false);
            var liveVersion = live is null ? (long?)null : Convert.ToInt64(live, CultureInfo.InvariantCulture);
            if (change.Definition is null)
            {
                if (liveVersion is null)
                {
                    throw KeelException.NotFound($"Cannot delete {kind} '{change.Name}': it does not exist.");
                }

                await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE feature_objects SET live = 0, updated_time = $4 WHERE kind = $1 AND name = $2 AND version = $3", kind, change.Name, liveVersion, now).ConfigureAwait(false);
                continue;
            }

            if (!FeatureDocuments.Matches(change.Kind, change.Definition))
            {
                throw KeelException.InvalidParameter($"The change of {kind} '{change.Name}' carries a {change.Definition.GetType().Name}.");
            }

            var json = FeatureDocuments.Write(change.Definition);
            if (!change.NewVersion)
            {
                if (liveVersion is null)
                {
                    throw KeelException.NotFound($"Cannot change {kind} '{change.Name}' in place: it does not exist.");
                }

                await ExecuteAsync(
                    connection, transaction, cancellationToken,
                    "UPDATE feature_objects SET definition = $4, updated_time = $5 WHERE kind = $1 AND name = $2 AND version = $3", kind, change.Name, liveVersion, json, now).ConfigureAwait(false);
                continue;
            }

            var highest = Convert.ToInt64(
                await ScalarAsync(connection, transaction, cancellationToken, "SELECT COALESCE(MAX(version), 0) FROM feature_objects WHERE kind = $1 AND name = $2", kind, change.Name).ConfigureAwait(false),
                CultureInfo.InvariantCulture);
            if (liveVersion is { } old)
            {
                await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE feature_objects SET live = 0 WHERE kind = $1 AND name = $2 AND version = $3", kind, change.Name, old).ConfigureAwait(false);
            }

            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "INSERT INTO feature_objects (kind, name, version, definition, live, created_time, updated_time, created_by) VALUES ($1, $2, $3, $4, 1, $5, $5, CAST($6 AS TEXT))",
                kind, change.Name, highest + 1, json, now, actor).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, cancellationToken, "UPDATE feature_catalog SET revision = revision + 1 WHERE id = 1").ConfigureAwait(false);
        return await GetCatalogAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(DbConnection connection, FeatureObjectKind kind, string name, CancellationToken cancellationToken) =>
        await ListAsync(
            connection, null, cancellationToken, ReadObject,
            "SELECT " + ObjectColumns + " FROM feature_objects WHERE kind = $1 AND name = $2 ORDER BY version", FeatureDocuments.KindName(kind), name).ConfigureAwait(false);

    public async Task<MaterializationState?> GetMaterializationAsync(DbConnection connection, DbTransaction? transaction, string view, CancellationToken cancellationToken, bool locked = false)
    {
        var rows = await ListAsync(
            connection, transaction, cancellationToken,
            r => new MaterializationState(r.GetString(0), (int)Long(r, 1), Long(r, 2), Long(r, 3), Long(r, 4), Long(r, 5)),
            "SELECT view_name, view_version, watermark, row_count, updated_time, revision FROM feature_materialization WHERE view_name = $1" + (locked ? _lock : string.Empty), view).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<MaterializationState> RecordMaterializationAsync(
        DbConnection connection, DbTransaction transaction, MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await CheckFenceAsync(connection, transaction, fence, _databaseNow, now, "materialization record", cancellationToken).ConfigureAwait(false);
        var current = await GetMaterializationAsync(connection, transaction, state.View, cancellationToken, locked: true).ConfigureAwait(false);
        if ((current?.Revision ?? 0) != expectedRevision)
        {
            throw new KeelException(
                ErrorCode.ResourceConflict,
                string.Create(CultureInfo.InvariantCulture, $"Materialization of view '{state.View}' is at revision {current?.Revision ?? 0}, not {expectedRevision}: another run recorded first; nothing was recorded."));
        }

        var updated = state.UpdatedAt > 0 ? state.UpdatedAt : now;
        if (current is null)
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "INSERT INTO feature_materialization (view_name, view_version, watermark, row_count, updated_time, revision) VALUES ($1, $2, $3, $4, $5, 1)",
                state.View, (long)state.ViewVersion, state.Watermark, state.Rows, updated).ConfigureAwait(false);
        }
        else
        {
            await ExecuteAsync(
                connection, transaction, cancellationToken,
                "UPDATE feature_materialization SET view_version = $2, watermark = $3, row_count = $4, updated_time = $5, revision = revision + 1 WHERE view_name = $1",
                state.View, (long)state.ViewVersion, state.Watermark, state.Rows, updated).ConfigureAwait(false);
        }

        return (await GetMaterializationAsync(connection, transaction, state.View, cancellationToken).ConfigureAwait(false))!;
    }

    private static long Long(DbDataReader r, int ordinal) => Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static StoredFeatureObject ReadObject(DbDataReader r)
    {
        var kind = FeatureDocuments.Kind(r.GetString(0));
        var name = r.GetString(1);
        return new StoredFeatureObject(kind, name, (int)Long(r, 2), FeatureDocuments.Read(kind, name, r.GetString(3)), Long(r, 4), Long(r, 5), r.IsDBNull(6) ? null : r.GetString(6));
    }
}
