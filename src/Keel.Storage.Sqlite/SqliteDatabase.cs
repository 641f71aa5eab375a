using Keel.Core.Errors;
using Keel.Storage.Coordination;
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
/// <para>
/// A process has one object per file, shared by every store on it (<see cref="Acquire"/>): one
/// writer lock, one checkpointer and one change signal, so stores opened separately still see one
/// database, and a write through one store never waits on another store's busy timeout.
/// </para>
/// </summary>
internal sealed class SqliteDatabase
{
    private static readonly Dictionary<string, SqliteDatabase> Opened = new(StringComparer.Ordinal);
    private static readonly Lock OpenedLock = new();
    private readonly string _path;
    private int _references;
    private readonly string _readConnectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly WalCheckpointer _checkpointer;
    private bool _disposed;

    private SqliteDatabase(string databasePath, string defaultArtifactRoot)
    {
        _path = databasePath;
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

    /// <summary>
    /// The database object of <paramref name="databasePath"/>, opened (and migrated) by the first
    /// store on the file; each call takes one reference, released by disposing the handle.
    /// </summary>
    /// <param name="databasePath">The database file.</param>
    /// <param name="defaultArtifactRoot">Artifact root of the Default experiment seeded in a new database.</param>
    public static SqliteDatabaseHandle Acquire(string databasePath, string defaultArtifactRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        var key = Path.GetFullPath(databasePath);
        lock (OpenedLock)
        {
            if (!Opened.TryGetValue(key, out var database))
            {
                database = new SqliteDatabase(key, defaultArtifactRoot);
                Opened.Add(key, database);
            }

            database._references++;
            return new SqliteDatabaseHandle(database);
        }
    }

    /// <summary>Wakes the serving change feed's waiters of every store on this file (SQLite is one process's database).</summary>
    public ChangeSignal ServingChanges { get; } = new();

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

    /// <summary>Drops one reference; the last closes the file.</summary>
    internal void Release()
    {
        lock (OpenedLock)
        {
            if (--_references > 0)
            {
                return;
            }

            Opened.Remove(_path);
            // Closed under the lock, so a store opening the file again waits for the close.
            Close();
        }
    }

    private void Close()
    {
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

    internal static void CheckNotHeldElsewhere(SqliteConnection connection, string databasePath)
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
