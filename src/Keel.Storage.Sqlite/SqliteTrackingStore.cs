using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// The tracking store on one SQLite file. SQLite admits one writer at a time, so all writes go
/// through one long-lived connection guarded by a semaphore (its prepared statements are reused);
/// reads open pooled connections of their own and run concurrently thanks to WAL.
/// </summary>
public sealed partial class SqliteTrackingStore : ITrackingStore, IDisposable
{
    private readonly string _defaultArtifactRoot;
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly SqliteConnection _writer;
    private readonly RunDataWriter _runDataWriter;

    public SqliteTrackingStore(string databasePath, string defaultArtifactRoot = Keel.Core.Artifacts.ArtifactUri.ProxyRoot)
    {
        _defaultArtifactRoot = defaultArtifactRoot;
        _handle = SqliteDatabase.Acquire(databasePath, defaultArtifactRoot);
        _db = _handle.Database;
        _writer = _db.Writer;
        _runDataWriter = new RunDataWriter(_writer);
    }

    public void Dispose()
    {
        _runDataWriter.Dispose();
        _handle.Dispose();
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(work, cancellationToken);

    private Task WriteAsync(Action<SqliteTransaction> work, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            work(transaction);
            return true;
        }, cancellationToken);

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(work, cancellationToken);

    private SqliteCommand Command(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
