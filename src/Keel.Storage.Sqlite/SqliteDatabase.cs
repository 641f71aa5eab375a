using Keel.Core.Errors;
using Keel.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// One SQLite database file as the stores use it: a single writer connection behind a lock (SQLite
/// has one writer), pooled reader connections that each read one consistent WAL snapshot, schema
/// migrations on open, and WAL checkpoints off the write path. Every store on the file (tracking,
/// registry, ...) builds on this, so connection handling and error translation live in one place.
/// <para>
/// On Unix the file is opened through SQLite's <c>unix-excl</c> VFS: this process holds the
/// database exclusively and keeps the WAL index in its own heap instead of a memory-mapped
/// <c>-shm</c> file. A shared mapping of a file in the data directory turns a storage fault into
/// SIGBUS, which kills the server with nothing logged: writing to it once the file is made
/// immutable (ext4 refuses the page write), once the disk is full on a copy-on-write file system,
/// or after another program truncates it. With the index in the heap those faults reach SQLite as
/// I/O errors, which the stores answer as 503/507. The price: another process cannot open the
/// database while the server has it (it is told so, instead of waiting).
/// </para>
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly string _readConnectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly WalCheckpointer _checkpointer;
    private bool _disposed;

    public SqliteDatabase(string databasePath, string defaultArtifactRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DataSource(databasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        _readConnectionString = builder.ToString();
        builder.Pooling = false;
        Writer = new SqliteConnection(builder.ToString());
        try
        {
            Writer.Open();
            // Fail fast when another process holds the file; the busy timeout below is for this process's own connections.
            Execute(Writer, "PRAGMA busy_timeout = 500");
            CheckNotHeldElsewhere(Writer, databasePath);
            // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode survives process
            // crashes (only an OS crash or power loss can lose the last commits), at a fraction of FULL's fsyncs.
            Execute(Writer, "PRAGMA journal_mode = WAL");
            Execute(Writer, "PRAGMA synchronous = NORMAL");
            Execute(Writer, "PRAGMA busy_timeout = 10000");
            // Cascades (registry renames and deletes) and references need it.
            Execute(Writer, "PRAGMA foreign_keys = ON");
            // A larger page cache keeps the hot metric B-tree pages in memory during bulk ingestion.
            Execute(Writer, "PRAGMA cache_size = -65536");
            SqliteMigrator.Migrate(Writer, defaultArtifactRoot);
            // Checkpoints run beside the writer, not inside its commits (see WalCheckpointer).
            Execute(Writer, "PRAGMA wal_autocheckpoint = 0");
            _checkpointer = new WalCheckpointer(builder.ToString(), TimeSpan.FromSeconds(1));
        }
        catch (SqliteException e)
        {
            Writer.Dispose();
            throw SqliteErrors.Translate(e);
        }
        catch (KeelException)
        {
            Writer.Dispose();
            throw;
        }
    }

    /// <summary>The writer connection; use it only inside <see cref="WriteAsync{T}"/>.</summary>
    public SqliteConnection Writer { get; }

    /// <summary>Runs <paramref name="work"/> in one immediate transaction on the writer connection: all or nothing.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = Writer.BeginTransaction();
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

    /// <summary>Runs <paramref name="work"/> on a pooled reader connection inside one read transaction (one snapshot).</summary>
    public Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
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
            // snapshot keeps a page of results and their details consistent with each other.
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

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _checkpointer.Dispose();
        Writer.Dispose();
        _writeLock.Dispose();
        // Pooled reader connections would otherwise keep the file open after the store is gone.
        using var probe = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(probe);
    }

    /// <summary>The data source for <paramref name="databasePath"/>: a URI naming the unix-excl VFS on Unix (see the class remarks).</summary>
    internal static string DataSource(string databasePath)
    {
        if (OperatingSystem.IsWindows() || databasePath == ":memory:")
        {
            return databasePath;
        }

        // Microsoft.Data.Sqlite opens "file:" data sources as SQLite URIs; each segment is
        // percent-encoded so '?', '#' and '%' in a directory name stay part of the path.
        var segments = Path.GetFullPath(databasePath).Split('/').Select(Uri.EscapeDataString);
        return "file://" + string.Join('/', segments) + "?vfs=unix-excl";
    }

    private static void CheckNotHeldElsewhere(SqliteConnection connection, string databasePath)
    {
        try
        {
            // The first read takes the process lock; it is refused while another process holds it.
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            command.CommandTimeout = 2;
            command.ExecuteScalar();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw new KeelException(
                ErrorCode.TemporarilyUnavailable,
                $"The database {databasePath} is in use by another process (a running keel server holds it): stop that process, or reach its data through the server with --tracking-uri.",
                e);
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
