using System.Collections.Concurrent;
using System.Text;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Storage.Features;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keel.Storage.Sqlite.Features;

/// <summary>
/// The embedded online store: one SQLite file (<c>online.db</c> in the data directory by default),
/// its own file beside the metadata database so bulk materialization never waits on, or makes wait,
/// the metadata writer. One table keyed by (view table, entity key), WITHOUT ROWID so a row is one
/// B-tree entry; values as <see cref="OnlineRowCodec"/> blobs. Writes are conditional upserts that
/// keep the newer row by (event time, created time), in one transaction per call, in statements of
/// many rows. WAL, so readers (in this and other processes) never wait on the writer. Every write
/// bumps a change counter that <see cref="CachedOnlineStore"/> polls. Several processes may open the
/// same file (a CLI materialization beside a running server).
/// </summary>
public sealed class SqliteOnlineStore : IOnlineFeatureStore, IOnlineChangeStamp
{
    private const string Upsert =
        " ON CONFLICT (tid, entity_key) DO UPDATE SET event_ts = excluded.event_ts, created_ts = excluded.created_ts, v = excluded.v"
        + " WHERE excluded.event_ts > online_rows.event_ts OR (excluded.event_ts = online_rows.event_ts AND excluded.created_ts >= online_rows.created_ts)";

    private readonly string _path;
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<Reader> _readers = [];
    private readonly SqliteCommand _bump;
    private readonly ConcurrentDictionary<string, long> _tableIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pendingIds = new(StringComparer.Ordinal);
    private bool _disposed;

    private SqliteOnlineStore(string path)
    {
        _path = path;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        };
        _connectionString = builder.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        // Larger pages: fewer B-tree splits and levels for millions of small rows (only takes effect on a new file).
        Exec(_writer, "PRAGMA page_size = 16384");
        Exec(_writer, "PRAGMA journal_mode = WAL");
        Exec(_writer, "PRAGMA synchronous = NORMAL");
        Exec(_writer, "PRAGMA busy_timeout = 10000");
        Exec(_writer, "PRAGMA cache_size = -65536");
        Exec(_writer, "PRAGMA temp_store = MEMORY");
        Exec(_writer, """
            CREATE TABLE IF NOT EXISTS online_tables (name TEXT PRIMARY KEY, tid INTEGER NOT NULL UNIQUE) WITHOUT ROWID
            """);
        Exec(_writer, """
            CREATE TABLE IF NOT EXISTS online_rows (
                tid INTEGER NOT NULL,
                entity_key TEXT NOT NULL,
                event_ts INTEGER NOT NULL,
                created_ts INTEGER NOT NULL,
                v BLOB NOT NULL,
                PRIMARY KEY (tid, entity_key)) WITHOUT ROWID
            """);
        Exec(_writer, "CREATE TABLE IF NOT EXISTS online_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID");
        Exec(_writer, "INSERT OR IGNORE INTO online_meta (k, v) VALUES ('changes', 0)");
        _bump = _writer.CreateCommand();
        _bump.CommandText = "UPDATE online_meta SET v = v + 1 WHERE k = 'changes'";
    }

    /// <summary>The file.</summary>
    public string Path => _path;

    /// <inheritdoc/>
    public string Description => "sqlite:///" + _path;

    /// <summary>Opens (creating when absent) the store in the file <paramref name="path"/>.</summary>
    /// <exception cref="KeelException">TEMPORARILY_UNAVAILABLE when the file cannot be opened.</exception>
    public static SqliteOnlineStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
        }

        try
        {
            return new SqliteOnlineStore(full);
        }
        catch (SqliteException e)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Cannot open the online store {full}: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async Task WriteAsync(string table, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        // Encoding runs outside the lock, so concurrent writers only queue for SQLite itself.
        var encoded = new (string Key, long Event, long Created, byte[] Value)[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            encoded[i] = (row.EntityKey, row.EventTimestamp, row.CreatedTimestamp, OnlineRowCodec.Encode(row.Values));
        }

        // Key order makes the B-tree inserts sequential (pages stay hot); a stable sort keeps a key's
        // rows in the caller's order, and the conditional upsert makes that order irrelevant anyway.
        var ordered = encoded.Length > 1 ? [.. encoded.OrderBy(r => r.Key, StringComparer.Ordinal)] : encoded;
        encoded = ordered;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            _bump.Transaction = transaction;
            RawUpsert(table, encoded);
            _bump.ExecuteNonQuery();
            transaction.Commit();
            foreach (var (name, tid) in _pendingIds)
            {
                _tableIds[name] = tid;
            }
        }
        catch (SqliteException e)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Writing to the online store {_path} failed: {e.Message}");
        }
        finally
        {
            _pendingIds.Clear();
            _bump.Transaction = null;
            _writeLock.Release();
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OnlineRow?>> ReadAsync(string table, IReadOnlyList<string> entityKeys, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(entityKeys);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = Rent();
        try
        {
            var result = new OnlineRow?[entityKeys.Count];
            if (TableIdForRead(reader, table) is not { } tid)
            {
                return ValueTask.FromResult<IReadOnlyList<OnlineRow?>>(result);
            }

            reader.Select.Parameters[0].Value = tid;
            // One snapshot for all keys, so a concurrent write is seen wholly or not at all.
            using var transaction = entityKeys.Count > 1 ? reader.Connection.BeginTransaction(deferred: true) : null;
            reader.Select.Transaction = transaction;
            for (var i = 0; i < entityKeys.Count; i++)
            {
                reader.Select.Parameters[1].Value = entityKeys[i];
                using var row = reader.Select.ExecuteReader();
                if (row.Read())
                {
                    var blob = (byte[])row.GetValue(2);
                    result[i] = new OnlineRow(entityKeys[i], row.GetInt64(0), row.GetInt64(1), OnlineRowCodec.Decode(blob));
                }
            }

            reader.Select.Transaction = null;
            return ValueTask.FromResult<IReadOnlyList<OnlineRow?>>(result);
        }
        catch (SqliteException e)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Reading the online store {_path} failed: {e.Message}");
        }
        finally
        {
            Return(reader);
        }
    }

    /// <inheritdoc/>
    public async Task DropAsync(string table, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            using (var delete = _writer.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM online_rows WHERE tid = (SELECT tid FROM online_tables WHERE name = $t)";
                delete.Parameters.AddWithValue("$t", table);
                delete.ExecuteNonQuery();
            }

            _bump.Transaction = transaction;
            _bump.ExecuteNonQuery();
            _bump.Transaction = null;
            transaction.Commit();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc/>
    public Task<string> ProbeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = Rent();
        try
        {
            using var command = reader.Connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            return Task.FromResult("SQLite " + Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (SqliteException e)
        {
            throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Cannot read the online store {_path}: {e.Message}");
        }
        finally
        {
            Return(reader);
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> GetChangeStampAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = Rent();
        try
        {
            return ValueTask.FromResult(Convert.ToInt64(reader.Stamp.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            Return(reader);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _bump.Dispose();
            while (_readers.TryTake(out var reader))
            {
                reader.Dispose();
            }

            try
            {
                Exec(_writer, "PRAGMA wal_checkpoint(TRUNCATE)");
            }
            catch (SqliteException)
            {
                // Another process reads: its checkpoint comes later.
            }

            _writer.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // Straight through SQLite's C API on the writer's handle: one prepared statement, values bound
    // by index; Microsoft.Data.Sqlite's per-execution parameter binding costs more than the insert.
    private void RawUpsert(string table, (string Key, long Event, long Created, byte[] Value)[] rows)
    {
        var db = _writer.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, "INSERT INTO online_rows (tid, entity_key, event_ts, created_ts, v) VALUES (?1, ?2, ?3, ?4, ?5)" + Upsert, out sqlite3_stmt stmt);
        Check(db, rc);
        using (stmt)
        {
            var tid = TableIdForWrite(table);
            foreach (var row in rows)
            {
                Check(db, raw.sqlite3_bind_int64(stmt, 1, tid));
                Check(db, raw.sqlite3_bind_text(stmt, 2, row.Key));
                Check(db, raw.sqlite3_bind_int64(stmt, 3, row.Event));
                Check(db, raw.sqlite3_bind_int64(stmt, 4, row.Created));
                Check(db, raw.sqlite3_bind_blob(stmt, 5, row.Value));
                rc = raw.sqlite3_step(stmt);
                if (rc != raw.SQLITE_DONE)
                {
                    Check(db, rc);
                }

                raw.sqlite3_reset(stmt);
            }
        }
    }

    // A view table's number: names are kept once, rows carry the number (a shorter key to compare).
    // Numbers never change for a name (a drop deletes the rows, not the name), so they are cached.
    private long TableIdForWrite(string table)
    {
        if (_tableIds.TryGetValue(table, out var known))
        {
            return known;
        }

        using var insert = _writer.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO online_tables (name, tid) VALUES ($n, (SELECT COALESCE(MAX(tid), 0) + 1 FROM online_tables)); SELECT tid FROM online_tables WHERE name = $n";
        insert.Parameters.AddWithValue("$n", table);
        insert.Transaction = _bump.Transaction;
        var tid = Convert.ToInt64(insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        _pendingIds[table] = tid;
        return tid;
    }

    private long? TableIdForRead(Reader reader, string table)
    {
        if (_tableIds.TryGetValue(table, out var known))
        {
            return known;
        }

        reader.Table.Parameters[0].Value = table;
        if (reader.Table.ExecuteScalar() is long tid)
        {
            _tableIds[table] = tid;
            return tid;
        }

        return null;
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not raw.SQLITE_OK and not raw.SQLITE_DONE and not raw.SQLITE_ROW)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }

    private Reader Rent() => _readers.TryTake(out var reader) ? reader : new Reader(_connectionString);

    private void Return(Reader reader)
    {
        if (_disposed || _readers.Count >= 64)
        {
            reader.Dispose();
        }
        else
        {
            _readers.Add(reader);
        }
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class Reader : IDisposable
    {
        public Reader(string connectionString)
        {
            Connection = new SqliteConnection(connectionString);
            Connection.Open();
            Exec(Connection, "PRAGMA busy_timeout = 10000");
            Select = Connection.CreateCommand();
            Select.CommandText = "SELECT event_ts, created_ts, v FROM online_rows WHERE tid = $t AND entity_key = $k";
            Select.Parameters.Add(new SqliteParameter("$t", SqliteType.Integer));
            Select.Parameters.Add(new SqliteParameter("$k", SqliteType.Text));
            Select.Prepare();
            Table = Connection.CreateCommand();
            Table.CommandText = "SELECT tid FROM online_tables WHERE name = $n";
            Table.Parameters.Add(new SqliteParameter("$n", SqliteType.Text));
            Stamp = Connection.CreateCommand();
            Stamp.CommandText = "SELECT v FROM online_meta WHERE k = 'changes'";
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Select { get; }

        public SqliteCommand Stamp { get; }

        public SqliteCommand Table { get; }

        public void Dispose()
        {
            Table.Dispose();
            Select.Dispose();
            Stamp.Dispose();
            Connection.Dispose();
        }
    }
}
