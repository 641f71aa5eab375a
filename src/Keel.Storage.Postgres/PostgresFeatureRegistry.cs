using Keel.Core.Coordination;
using Keel.Core.Features;
using Keel.Storage.Features;

namespace Keel.Storage.Postgres;

/// <summary>
/// The feature registry on PostgreSQL, in the same database as the other stores. The SQL is shared
/// with SQLite (<see cref="FeatureRecords"/>); an apply locks the catalog row (<c>FOR UPDATE</c>) so
/// concurrent applies from any replica are serialised and the later one sees the new revision, and
/// lease fences are judged by the database's clock.
/// </summary>
public sealed class PostgresFeatureRegistry : IFeatureRegistry
{
    private const string NowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    private readonly PostgresDatabase _db;
    private readonly FeatureRecords _records;

    /// <summary>A registry on a database opened (and disposed) by the caller.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public PostgresFeatureRegistry(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _records = new FeatureRecords(namedParameters: false, rowLock: " FOR UPDATE", databaseNow: NowMs, time ?? TimeProvider.System);
    }

    /// <inheritdoc/>
    public Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GetCatalogAsync(db.Connection, db.Transaction, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<FeatureCatalog> ApplyAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return _db.WriteAsync(db => _records.ApplyAsync(db.Connection, db.Transaction, changes, expectedRevision, actor, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(FeatureObjectKind kind, string name, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListVersionsAsync(db.Connection, kind, name, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<MaterializationState?> GetMaterializationAsync(string view, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GetMaterializationAsync(db.Connection, db.Transaction, view, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return _db.WriteAsync(db => _records.RecordMaterializationAsync(db.Connection, db.Transaction, state, expectedRevision, fence, cancellationToken), cancellationToken);
    }
}
