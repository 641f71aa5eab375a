using Keel.Core.Data;
using Keel.Core.Tracking;
using Keel.Storage.Data;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Datasets on the same SQLite file as tracking and the registry. The SQL is shared with PostgreSQL
/// (<see cref="DatasetRecords"/>); writes go through the file's one writer, so an add's compare with
/// the latest version and its insert cannot interleave with another add.
/// </summary>
public sealed class SqliteDatasetStore : IDatasetStore, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly DatasetRecords _records;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public SqliteDatasetStore(string databasePath, TimeProvider? time = null)
    {
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
        _records = new DatasetRecords(namedParameters: true, rowLock: string.Empty, time ?? TimeProvider.System);
    }

    public Task<AddedDatasetVersion> AddVersionAsync(NewDatasetVersion version, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.AddVersionAsync(_db.Writer, tx, version, actor, cancellationToken), cancellationToken);

    public Task<VersionedDataset?> FindDatasetAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindDatasetAsync(c, null, name, cancellationToken), cancellationToken);

    public Task<PagedList<VersionedDataset>> ListDatasetsAsync(int maxResults, string? pageToken, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListDatasetsAsync(c, maxResults, pageToken, cancellationToken), cancellationToken);

    public Task<DatasetVersion?> FindVersionAsync(string name, long version, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindVersionAsync(c, null, name, version, cancellationToken), cancellationToken);

    public Task<PagedList<DatasetVersion>> ListVersionsAsync(string name, int maxResults, string? pageToken, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListVersionsAsync(c, name, maxResults, pageToken, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<DatasetVersion>> FindVersionsByDigestAsync(string manifestDigest, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindVersionsByDigestAsync(c, manifestDigest, cancellationToken), cancellationToken);

    public Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.SetAliasAsync(_db.Writer, tx, name, alias, version, actor, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.DeleteAliasAsync(_db.Writer, tx, name, alias, actor, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<VersionedDataset> UpdateDatasetAsync(string name, string? description, string? suite, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.UpdateDatasetAsync(_db.Writer, tx, name, description, suite, actor, cancellationToken), cancellationToken);

    public Task DeleteDatasetAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.DeleteDatasetAsync(_db.Writer, tx, name, actor, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public async Task<IReadOnlyList<DatasetEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default) =>
        await ReadAsync(c => _records.ListEventsAsync(c, name, maxResults, cancellationToken), cancellationToken).ConfigureAwait(false);

    public void Dispose() => _handle.Dispose();

    // Microsoft.Data.Sqlite's asynchronous calls complete synchronously, so the shared asynchronous
    // SQL finishes inside the database's synchronous writer and reader callbacks.
    private Task<T> WriteAsync<T>(Func<Microsoft.Data.Sqlite.SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(tx => work(tx).GetAwaiter().GetResult(), cancellationToken);

    private Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(c => work(c).GetAwaiter().GetResult(), cancellationToken);
}
