using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Storage.Records;
using Npgsql;
using NpgsqlTypes;

namespace Keel.Storage.Postgres;

/// <summary>
/// Serving endpoints on PostgreSQL, in the same database as tracking and the registry: one row per
/// endpoint holding its storage-shape document (<see cref="EndpointDocuments"/>), and every change
/// appends its audit event in the same transaction.
/// </summary>
public sealed partial class PostgresServingStore : IServingStore, ILeaseStore, IServingStatsStore, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly TimeProvider _time;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for event timestamps; the system clock when null.</param>
    public PostgresServingStore(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    /// <param name="time">The clock for event timestamps; the system clock when null.</param>
    public PostgresServingStore(string uri, TimeProvider? time = null)
        : this(PostgresDatabase.Open(uri), time, ownsDatabase: true)
    {
    }

    private PostgresServingStore(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _time = time ?? TimeProvider.System;
        _ownsDatabase = ownsDatabase;
    }

    public Task<IReadOnlyList<Endpoint>> ListEndpointsAsync(string? environment, CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<Endpoint>>(async db =>
            await db.ListAsync(
                "SELECT spec::text, version FROM serving_endpoints " + (environment is null ? string.Empty : "WHERE environment = $1 ") + "ORDER BY name",
                r => Parse(r.GetString(0), r.GetInt64(1)), cancellationToken, environment is null ? [] : [environment]).ConfigureAwait(false),
            cancellationToken);

    public Task<Endpoint?> FindEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => FindAsync(db, name, cancellationToken), cancellationToken);

    public Task CreateEndpointAsync(Endpoint endpoint, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return _db.WriteAsync(async db =>
        {
            var spec = EndpointDocuments.Serialize(endpoint);
            try
            {
                await db.ExecuteAsync(
                    "INSERT INTO serving_endpoints (name, environment, spec, created_time, updated_time, version) VALUES ($1, $2, $3, $4, $4, $5)",
                    cancellationToken, endpoint.Name, endpoint.Environment, Json(spec), endpoint.CreatedAt, endpoint.Version).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.UniqueViolation)
            {
                throw KeelException.AlreadyExists($"Endpoint '{endpoint.Name}' already exists.");
            }

            await AppendEventAsync(db, "endpoint.create", endpoint.Name, null, spec, actor, cancellationToken).ConfigureAwait(false);
            await AppendChangeAsync(db, endpoint.Name, endpoint.Version, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task UpdateEndpointAsync(Endpoint endpoint, string action, string? detail, string? actor, LeaseFence? fence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return _db.WriteAsync(async db =>
        {
            await CheckFenceAsync(db, fence, cancellationToken).ConfigureAwait(false);
            var spec = EndpointDocuments.Serialize(endpoint);
            if (await db.ExecuteAsync(
                    "UPDATE serving_endpoints SET environment = $2, spec = $3, updated_time = $4, version = $5 WHERE name = $1 AND version = $5 - 1",
                    cancellationToken, endpoint.Name, endpoint.Environment, Json(spec), endpoint.UpdatedAt, endpoint.Version).ConfigureAwait(false) == 0)
            {
                throw await FindAsync(db, endpoint.Name, cancellationToken).ConfigureAwait(false) is { } current
                    ? new EndpointConflictException(current, endpoint.Version - 1)
                    : NotFound(endpoint.Name);
            }

            await AppendEventAsync(db, action, endpoint.Name, detail, spec, actor, cancellationToken).ConfigureAwait(false);
            await AppendChangeAsync(db, endpoint.Name, endpoint.Version, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task DeleteEndpointAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db =>
        {
            if (await db.ExecuteAsync("DELETE FROM serving_endpoints WHERE name = $1", cancellationToken, name).ConfigureAwait(false) == 0)
            {
                throw NotFound(name);
            }

            await AppendEventAsync(db, "endpoint.delete", name, null, null, actor, cancellationToken).ConfigureAwait(false);
            await AppendChangeAsync(db, name, 0, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<ServingEvent>> ListEventsAsync(string? endpoint, int maxResults, CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<ServingEvent>>(async db =>
            await db.ListAsync(
                "SELECT id, timestamp, actor, action, endpoint, detail FROM serving_events "
                + (endpoint is null ? string.Empty : "WHERE endpoint = $2 ") + "ORDER BY id DESC LIMIT $1",
                r => new ServingEvent(r.GetInt64(0), r.GetInt64(1), PgDb.NullableString(r, 2), r.GetString(3), r.GetString(4), PgDb.NullableString(r, 5)),
                cancellationToken, endpoint is null ? [(long)maxResults] : [(long)maxResults, endpoint]).ConfigureAwait(false),
            cancellationToken);

    public void Dispose()
    {
        _listener?.Dispose();
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }

    // The revision is a column (the update's compare-and-set needs it), not part of the document.
    private static Endpoint Parse(string spec, long version) => EndpointDocuments.Parse(spec) with { Version = version };

    private static async Task<Endpoint?> FindAsync(PgDb db, string name, CancellationToken cancellationToken)
    {
        var rows = await db.ListAsync("SELECT spec::text, version FROM serving_endpoints WHERE name = $1", r => Parse(r.GetString(0), r.GetInt64(1)), cancellationToken, name).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static KeelException NotFound(string name) => KeelException.NotFound($"Endpoint '{name}' does not exist.");

    private static NpgsqlParameter Json(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private Task AppendEventAsync(PgDb db, string action, string endpoint, string? detail, string? snapshot, string? actor, CancellationToken cancellationToken) =>
        db.ExecuteAsync(
            "INSERT INTO serving_events (timestamp, actor, action, endpoint, detail, snapshot) VALUES ($1, $2, $3, $4, $5, $6)",
            cancellationToken, _time.GetUtcNow().ToUnixTimeMilliseconds(), Text(actor), action, endpoint, Text(detail), Json(snapshot));
}
