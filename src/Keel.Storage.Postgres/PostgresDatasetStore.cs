using Keel.Core.Data;
using Keel.Core.Tracking;
using Keel.Storage.Data;

namespace Keel.Storage.Postgres;

/// <summary>
/// Datasets on PostgreSQL, in the same database as tracking and the registry. The SQL is shared with
/// SQLite (<see cref="DatasetRecords"/>); an add locks its dataset row (<c>FOR UPDATE</c>) so
/// concurrent adds from several replicas are serialised per dataset.
/// </summary>
public sealed class PostgresDatasetStore : IDatasetStore, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly DatasetRecords _records;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public PostgresDatasetStore(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    public PostgresDatasetStore(string uri)
        : this(PostgresDatabase.Open(uri), null, ownsDatabase: true)
    {
    }

    private PostgresDatasetStore(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
        _records = new DatasetRecords(namedParameters: false, rowLock: " FOR UPDATE", time ?? TimeProvider.System);
    }

    public Task<AddedDatasetVersion> AddVersionAsync(NewDatasetVersion version, string? actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.AddVersionAsync(db.Connection, db.Transaction, version, actor, cancellationToken), cancellationToken);

    public Task<VersionedDataset?> FindDatasetAsync(string name, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindDatasetAsync(db.Connection, db.Transaction, name, cancellationToken), cancellationToken);

    public Task<PagedList<VersionedDataset>> ListDatasetsAsync(int maxResults, string? pageToken, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListDatasetsAsync(db.Connection, maxResults, pageToken, cancellationToken), cancellationToken);

    public Task<DatasetVersion?> FindVersionAsync(string name, long version, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindVersionAsync(db.Connection, db.Transaction, name, version, cancellationToken), cancellationToken);

    public Task<PagedList<DatasetVersion>> ListVersionsAsync(string name, int maxResults, string? pageToken, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListVersionsAsync(db.Connection, name, maxResults, pageToken, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<DatasetVersion>> FindVersionsByDigestAsync(string manifestDigest, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindVersionsByDigestAsync(db.Connection, manifestDigest, cancellationToken), cancellationToken);

    public Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.SetAliasAsync(db.Connection, db.Transaction, name, alias, version, actor, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.DeleteAliasAsync(db.Connection, db.Transaction, name, alias, actor, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<VersionedDataset> UpdateDatasetAsync(string name, string? description, string? suite, string? actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.UpdateDatasetAsync(db.Connection, db.Transaction, name, description, suite, actor, cancellationToken), cancellationToken);

    public Task DeleteDatasetAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.DeleteDatasetAsync(db.Connection, db.Transaction, name, actor, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public async Task<IReadOnlyList<DatasetEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default) =>
        await _db.ReadAsync(db => _records.ListEventsAsync(db.Connection, name, maxResults, cancellationToken), cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }
}
