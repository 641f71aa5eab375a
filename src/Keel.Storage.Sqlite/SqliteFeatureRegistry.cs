using Keel.Core.Coordination;
using Keel.Core.Features;
using Keel.Storage.Features;

namespace Keel.Storage.Sqlite;

/// <summary>
/// The feature registry on the same SQLite file as the other stores. The SQL is shared with
/// PostgreSQL (<see cref="FeatureRecords"/>); an apply runs in the file's one writer, so its check
/// of the catalog revision and its writes cannot interleave with another apply.
/// </summary>
public sealed class SqliteFeatureRegistry : IFeatureRegistry, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly FeatureRecords _records;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="time">The clock for timestamps and leases; the system clock when null.</param>
    public SqliteFeatureRegistry(string databasePath, TimeProvider? time = null)
    {
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
        _records = new FeatureRecords(namedParameters: true, rowLock: string.Empty, databaseNow: null, time ?? TimeProvider.System);
    }

    /// <inheritdoc/>
    public Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GetCatalogAsync(c, null, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<FeatureCatalog> ApplyAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return WriteAsync(tx => _records.ApplyAsync(_db.Writer, tx, changes, expectedRevision, actor, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(FeatureObjectKind kind, string name, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListVersionsAsync(c, kind, name, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<MaterializationState?> GetMaterializationAsync(string view, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GetMaterializationAsync(c, null, view, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return WriteAsync(tx => _records.RecordMaterializationAsync(_db.Writer, tx, state, expectedRevision, fence, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    // Microsoft.Data.Sqlite's asynchronous calls complete synchronously, so the shared asynchronous
    // SQL finishes inside the database's synchronous writer and reader callbacks.
    private Task<T> WriteAsync<T>(Func<Microsoft.Data.Sqlite.SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(tx => work(tx).GetAwaiter().GetResult(), cancellationToken);

    private Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(c => work(c).GetAwaiter().GetResult(), cancellationToken);
}
