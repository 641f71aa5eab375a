using System.Globalization;
using Keel.Core.Registry;
using Keel.Storage.Records;
using NpgsqlTypes;

namespace Keel.Storage.Postgres;

/// <summary>
/// The model registry on PostgreSQL, in the same database as tracking. Each change locks the
/// model's row first (see <see cref="RegistryRows.LockModelAsync"/>) and appends its audit event in
/// the same transaction, with before/after snapshots in their storage shape.
/// </summary>
public sealed partial class PostgresModelRegistryStore : IModelRegistryStore, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly TimeProvider _time;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public PostgresModelRegistryStore(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public PostgresModelRegistryStore(string uri, TimeProvider? time = null)
        : this(PostgresDatabase.Open(uri), time, ownsDatabase: true)
    {
    }

    private PostgresModelRegistryStore(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _time = time ?? TimeProvider.System;
        _ownsDatabase = ownsDatabase;
    }

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }

    public Task<IReadOnlyList<RegistryEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<RegistryEvent>>(async db =>
            await db.ListAsync(
                "SELECT id, timestamp, actor, action, model_name, version, before::text, after::text FROM registry_events "
                + (name is null ? string.Empty : "WHERE model_name = $2 ") + "ORDER BY id DESC LIMIT $1",
                r => new RegistryEvent(
                    r.GetInt64(0), r.GetInt64(1), PgDb.NullableString(r, 2), r.GetString(3), r.GetString(4), PgDb.NullableString(r, 5),
                    RegistrySnapshots.Parse(PgDb.NullableString(r, 6)), RegistrySnapshots.Parse(PgDb.NullableString(r, 7))),
                cancellationToken, name is null ? [(long)maxResults] : [(long)maxResults, name]).ConfigureAwait(false),
            cancellationToken);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Appends one audit event; snapshots are stored in their storage shape (<see cref="RegistrySnapshots"/>).</summary>
    private Task AppendEventAsync(PgDb db, string action, string model, long? version, RegistrySnapshot? before, RegistrySnapshot? after, string? actor, CancellationToken cancellationToken) =>
        db.ExecuteAsync(
            "INSERT INTO registry_events (timestamp, actor, action, model_name, version, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            cancellationToken,
            Now(),
            Text(actor),
            action,
            model,
            Text(version?.ToString(CultureInfo.InvariantCulture)),
            Json(RegistrySnapshots.Serialize(before)),
            Json(RegistrySnapshots.Serialize(after)));

    private static Npgsql.NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static Npgsql.NpgsqlParameter Json(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)value ?? DBNull.Value };

    private Task<T> WriteAsync<T>(Func<PgDb, Task<T>> work, CancellationToken cancellationToken) => _db.WriteAsync(work, cancellationToken);

    private Task WriteAsync(Func<PgDb, Task> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(async db =>
        {
            await work(db).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private Task<T> ReadAsync<T>(Func<PgDb, Task<T>> work, CancellationToken cancellationToken) => _db.ReadAsync(work, cancellationToken);
}
