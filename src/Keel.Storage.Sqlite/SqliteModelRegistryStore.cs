using System.Globalization;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Wire;
using Keel.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// The model registry on the same SQLite file as <see cref="SqliteTrackingStore"/> (one data dir, one
/// file to back up). It keeps its own writer connection: SQLite serialises the two writers with
/// BEGIN IMMEDIATE and the busy timeout. Every change appends its audit event in the same transaction.
/// </summary>
public sealed partial class SqliteModelRegistryStore : IModelRegistryStore, IDisposable
{
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _time;
    private bool _disposed;

    public SqliteModelRegistryStore(string databasePath, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _time = time ?? TimeProvider.System;
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
            var db = new Db(_writer, null);
            db.Execute("PRAGMA journal_mode = WAL");
            db.Execute("PRAGMA synchronous = NORMAL");
            db.Execute("PRAGMA busy_timeout = 10000");
            // The cascades that carry versions, tags and aliases through renames and deletes need it.
            db.Execute("PRAGMA foreign_keys = ON");
            SqliteMigrator.Migrate(_writer, "mlflow-artifacts:");
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
        _writer.Dispose();
        _writeLock.Dispose();
        using var probe = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(probe);
    }

    public Task<IReadOnlyList<RegistryEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<RegistryEvent>>(db =>
        {
            var sql = "SELECT id, timestamp, actor, action, model_name, version, before, after FROM registry_events "
                + (name is null ? string.Empty : "WHERE model_name = $name ") + "ORDER BY id DESC LIMIT $max";
            using var command = db.Command(sql, ("$name", name), ("$max", maxResults));
            using var reader = command.ExecuteReader();
            var events = new List<RegistryEvent>();
            while (reader.Read())
            {
                events.Add(new RegistryEvent(
                    reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }

            return events;
        }, cancellationToken);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Appends one audit event; snapshots are the entities' wire JSON so they read like API answers.</summary>
    private void AppendEvent(Db db, string action, string model, long? version, object? before, object? after, string? actor) =>
        db.Execute(
            "INSERT INTO registry_events (timestamp, actor, action, model_name, version, before, after) VALUES ($t, $actor, $action, $model, $version, $before, $after)",
            ("$t", Now()),
            ("$actor", actor),
            ("$action", action),
            ("$model", model),
            ("$version", version?.ToString(CultureInfo.InvariantCulture)),
            ("$before", Snapshot(before)),
            ("$after", Snapshot(after)));

    private static string? Snapshot(object? entity) => entity switch
    {
        RegisteredModel m => JsonSerializer.Serialize(m.ToDto(), WireJson.Default.RegisteredModelDto),
        ModelVersion v => JsonSerializer.Serialize(v.ToDto(), WireJson.Default.ModelVersionDto),
        _ => null,
    };

    /// <summary>Runs <paramref name="work"/> in one immediate transaction on the writer connection.</summary>
    private async Task<T> WriteAsync<T>(Func<Db, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _writer.BeginTransaction();
            var result = work(new Db(_writer, transaction));
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

    private Task WriteAsync(Action<Db> work, CancellationToken cancellationToken) =>
        WriteAsync(db =>
        {
            work(db);
            return true;
        }, cancellationToken);

    private Task<T> ReadAsync<T>(Func<Db, T> work, CancellationToken cancellationToken)
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
            var db = new Db(connection, null);
            // One snapshot, so a model and its versions, tags and aliases agree with each other.
            db.Execute("BEGIN");
            try
            {
                return Task.FromResult(work(db));
            }
            finally
            {
                db.Execute("COMMIT");
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
}
