using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Storage.Coordination;
using Keel.Storage.Records;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Serving endpoints on the same SQLite file as tracking and the registry (through the shared
/// <see cref="SqliteDatabase"/> plumbing); every change appends its audit event and its change-feed
/// entry in the same transaction. SQLite is one process's database, so the change signal is in-process;
/// leases and rollout statistics live here too, for the same code path as on PostgreSQL.
/// </summary>
public sealed partial class SqliteServingStore : IServingStore, ILeaseStore, IServingStatsStore, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;

    public SqliteServingStore(string databasePath, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
    }

    public Task<IReadOnlyList<Endpoint>> ListEndpointsAsync(string? environment, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<Endpoint>>(db =>
        {
            using var command = db.Command(
                "SELECT spec, version FROM serving_endpoints " + (environment is null ? string.Empty : "WHERE environment = $env ") + "ORDER BY name",
                ("$env", environment));
            using var reader = command.ExecuteReader();
            var list = new List<Endpoint>();
            while (reader.Read())
            {
                list.Add(Parse(reader.GetString(0), reader.GetInt64(1)));
            }

            return list;
        }, transaction: false, cancellationToken);

    public Task<Endpoint?> FindEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync(db => Find(db, name), transaction: false, cancellationToken);

    public Task CreateEndpointAsync(Endpoint endpoint, string? actor, CancellationToken cancellationToken = default) =>
        RunAsync(db =>
        {
            var spec = Serialize(endpoint);
            try
            {
                db.Execute(
                    "INSERT INTO serving_endpoints (name, environment, spec, created_time, updated_time, version) VALUES ($name, $env, $spec, $t, $t, $v)",
                    ("$name", endpoint.Name), ("$env", endpoint.Environment), ("$spec", spec), ("$t", endpoint.CreatedAt), ("$v", endpoint.Version));
            }
            catch (SqliteException e) when (SqliteErrors.IsUniqueViolation(e))
            {
                throw KeelException.AlreadyExists($"Endpoint '{endpoint.Name}' already exists.");
            }

            AppendEvent(db, "endpoint.create", endpoint.Name, null, spec, actor);
            AppendChange(db, endpoint.Name, endpoint.Version);
            return true;
        }, transaction: true, cancellationToken);

    public Task UpdateEndpointAsync(Endpoint endpoint, string action, string? detail, string? actor, LeaseFence? fence = null, CancellationToken cancellationToken = default) =>
        RunAsync(db =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            CheckFence(db, fence);
            var spec = Serialize(endpoint);
            var changed = db.Execute(
                "UPDATE serving_endpoints SET environment = $env, spec = $spec, updated_time = $t, version = $v WHERE name = $name AND version = $v - 1",
                ("$name", endpoint.Name), ("$env", endpoint.Environment), ("$spec", spec), ("$t", endpoint.UpdatedAt), ("$v", endpoint.Version));
            if (changed == 0)
            {
                throw Find(db, endpoint.Name) is { } current ? new EndpointConflictException(current, endpoint.Version - 1) : NotFound(endpoint.Name);
            }

            AppendEvent(db, action, endpoint.Name, detail, spec, actor);
            AppendChange(db, endpoint.Name, endpoint.Version);
            return true;
        }, transaction: true, cancellationToken);

    public Task DeleteEndpointAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        RunAsync(db =>
        {
            if (db.Execute("DELETE FROM serving_endpoints WHERE name = $name", ("$name", name)) == 0)
            {
                throw NotFound(name);
            }

            AppendEvent(db, "endpoint.delete", name, null, null, actor);
            AppendChange(db, name, 0);
            return true;
        }, transaction: true, cancellationToken);

    public Task<IReadOnlyList<ServingEvent>> ListEventsAsync(string? endpoint, int maxResults, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<ServingEvent>>(db =>
        {
            using var command = db.Command(
                "SELECT id, timestamp, actor, action, endpoint, detail FROM serving_events "
                + (endpoint is null ? string.Empty : "WHERE endpoint = $name ") + "ORDER BY id DESC LIMIT $max",
                ("$name", endpoint), ("$max", maxResults));
            using var reader = command.ExecuteReader();
            var events = new List<ServingEvent>();
            while (reader.Read())
            {
                events.Add(new ServingEvent(
                    reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }

            return events;
        }, transaction: false, cancellationToken);

    public void Dispose() => _handle.Dispose();

    private static KeelException NotFound(string name) => KeelException.NotFound($"Endpoint '{name}' does not exist.");

    private static string Serialize(Endpoint endpoint) => EndpointDocuments.Serialize(endpoint);

    // The revision is a column (the update's compare-and-set needs it), not part of the document.
    private static Endpoint Parse(string spec, long version) => EndpointDocuments.Parse(spec) with { Version = version };

    private static Endpoint? Find(Db db, string name)
    {
        using var command = db.Command("SELECT spec, version FROM serving_endpoints WHERE name = $name", ("$name", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Parse(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    private void AppendChange(Db db, string endpoint, long version) =>
        db.Execute(
            "INSERT INTO serving_changes (endpoint, version, changed_at) VALUES ($endpoint, $v, $t)",
            ("$endpoint", endpoint), ("$v", version), ("$t", _time.GetUtcNow().ToUnixTimeMilliseconds()));

    private void AppendEvent(Db db, string action, string endpoint, string? detail, string? snapshot, string? actor) =>
        db.Execute(
            "INSERT INTO serving_events (timestamp, actor, action, endpoint, detail, snapshot) VALUES ($t, $actor, $action, $endpoint, $detail, $snapshot)",
            ("$t", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("$actor", actor), ("$action", action), ("$endpoint", endpoint), ("$detail", detail), ("$snapshot", snapshot));

    private async Task<T> RunAsync<T>(Func<Db, T> work, bool transaction, CancellationToken cancellationToken)
    {
        if (!transaction)
        {
            return await _db.ReadAsync(connection => work(new Db(connection, null)), cancellationToken).ConfigureAwait(false);
        }

        var result = await _db.WriteAsync(tx => work(new Db(_db.Writer, tx)), cancellationToken).ConfigureAwait(false);
        // After the commit: a woken reader finds the change.
        _db.ServingChanges.Pulse();
        return result;
    }
}
