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
    private readonly string _readConnectionString;
    private readonly string _defaultArtifactRoot;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly RunDataWriter _runDataWriter;
    private readonly WalCheckpointer _checkpointer;
    private bool _disposed;

    public SqliteTrackingStore(string databasePath, string defaultArtifactRoot = "mlflow-artifacts:")
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _defaultArtifactRoot = defaultArtifactRoot;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        _readConnectionString = builder.ToString();
        builder.Pooling = false;
        _writer = new SqliteConnection(builder.ToString());
        try
        {
            _writer.Open();
            // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode survives process
            // crashes (only an OS crash or power loss can lose the last commits), at a fraction of FULL's fsyncs.
            Pragma("PRAGMA journal_mode = WAL");
            Pragma("PRAGMA synchronous = NORMAL");
            Pragma("PRAGMA busy_timeout = 10000");
            Pragma("PRAGMA foreign_keys = ON");
            // A larger page cache keeps the hot metric B-tree pages in memory during bulk ingestion.
            Pragma("PRAGMA cache_size = -65536");
            SqliteMigrator.Migrate(_writer, defaultArtifactRoot);
            // Checkpoints run beside the writer, not inside its commits (see WalCheckpointer).
            Pragma("PRAGMA wal_autocheckpoint = 0");
            _runDataWriter = new RunDataWriter(_writer);
            _checkpointer = new WalCheckpointer(builder.ToString(), TimeSpan.FromSeconds(1));
        }
        catch (SqliteException e)
        {
            _writer.Dispose();
            throw SqliteErrors.Translate(e);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _checkpointer.Dispose();
        _runDataWriter.Dispose();
        _writer.Dispose();
        _writeLock.Dispose();
        // Pooled reader connections would otherwise keep the file open after the store is gone.
        using (var probe = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(probe);
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private void Pragma(string sql)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="work"/> in one immediate transaction on the writer connection.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _writer.BeginTransaction();
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Task WriteAsync(Action<SqliteTransaction> work, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            work(transaction);
            return true;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a pooled reader connection; WAL gives it a consistent snapshot.</summary>
    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            // A raw BEGIN (not SqliteTransaction) so reader commands need no transaction object; the
            // snapshot keeps a page and its metrics, params and tags consistent with each other.
            Execute(connection, "BEGIN");
            try
            {
                return Task.FromResult(work(connection));
            }
            finally
            {
                Execute(connection, "COMMIT");
            }
        }
        catch (SqliteException e)
        {
            return Task.FromException<T>(SqliteErrors.Translate(e));
        }
        catch (Exception e) when (e is KeelException or ObjectDisposedException or InvalidOperationException)
        {
            return Task.FromException<T>(e);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

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
