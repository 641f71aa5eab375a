using System.Globalization;
using Keel.Core.Registry;
using Keel.Storage.Records;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// The model registry on the same SQLite file as <see cref="SqliteTrackingStore"/> (one data dir, one
/// file to back up). It keeps its own writer connection: SQLite serialises the two writers with
/// BEGIN IMMEDIATE and the busy timeout. Every change appends its audit event in the same transaction.
/// </summary>
public sealed partial class SqliteModelRegistryStore : IModelRegistryStore, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;

    public SqliteModelRegistryStore(string databasePath, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
    }

    public void Dispose() => _handle.Dispose();

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
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    RegistrySnapshots.Parse(reader.IsDBNull(6) ? null : reader.GetString(6)),
                    RegistrySnapshots.Parse(reader.IsDBNull(7) ? null : reader.GetString(7))));
            }

            return events;
        }, cancellationToken);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Appends one audit event; snapshots are stored in their storage shape (<see cref="RegistrySnapshots"/>).</summary>
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
        RegisteredModel m => RegistrySnapshots.Serialize(RegistrySnapshot.Of(m)),
        ModelVersion v => RegistrySnapshots.Serialize(RegistrySnapshot.Of(v)),
        _ => null,
    };

    private Task<T> WriteAsync<T>(Func<Db, T> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(transaction => work(new Db(_db.Writer, transaction)), cancellationToken);

    private Task WriteAsync(Action<Db> work, CancellationToken cancellationToken) =>
        WriteAsync(db =>
        {
            work(db);
            return true;
        }, cancellationToken);

    private Task<T> ReadAsync<T>(Func<Db, T> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(connection => work(new Db(connection, null)), cancellationToken);
}
