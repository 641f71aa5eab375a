using System.Data;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Storage.Postgres.Schema;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>
/// One PostgreSQL database as Keel's stores use it: a pooled <see cref="NpgsqlDataSource"/>, the
/// schema brought up to date on open (under an advisory lock, so replicas starting together
/// migrate once), transactions retried on serialization failures and deadlocks, and driver errors
/// translated at this boundary. Every store on one database shares one instance; the instance is
/// disposed by whoever opened it.
/// </summary>
public sealed class PostgresDatabase : IDisposable, IAsyncDisposable
{
    private const int MaxAttempts = 6;
    private readonly NpgsqlDataSource _dataSource;

    private PostgresDatabase(NpgsqlDataSource dataSource, string server)
    {
        _dataSource = dataSource;
        Server = server;
    }

    /// <summary>Where the database is, for messages: <c>host:port/database</c> (never the password).</summary>
    public string Server { get; }

    /// <summary>Opens (and migrates) the database a <c>postgresql://</c> URI names.</summary>
    /// <param name="uri">The backend store URI, e.g. <c>postgresql://keel:secret@db:5432/keel</c>.</param>
    /// <param name="defaultArtifactRoot">Artifact root of the Default experiment seeded in a new database.</param>
    /// <exception cref="ArgumentException">The URI is malformed.</exception>
    /// <exception cref="KeelException">The server cannot be reached or refuses the connection (TEMPORARILY_UNAVAILABLE), with the reason.</exception>
    public static PostgresDatabase Open(string uri, string defaultArtifactRoot = ArtifactUri.ProxyRoot) =>
        Open(PostgresUri.Parse(uri), defaultArtifactRoot);

    /// <summary>Opens (and migrates) the database Npgsql settings name.</summary>
    /// <param name="settings">Connection settings; <see cref="NpgsqlConnectionStringBuilder.SearchPath"/> picks the schema (created when missing).</param>
    /// <param name="defaultArtifactRoot">Artifact root of the Default experiment seeded in a new database.</param>
    /// <exception cref="KeelException">The server cannot be reached or refuses the connection (TEMPORARILY_UNAVAILABLE), with the reason.</exception>
    public static PostgresDatabase Open(NpgsqlConnectionStringBuilder settings, string defaultArtifactRoot = ArtifactUri.ProxyRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        builder.ApplicationName ??= "keel";
        // Sessions keep no state the next user could trip on, so the pool skips the reset round
        // trip; hot statements are prepared once per physical connection.
        builder.NoResetOnClose = true;
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        var server = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            using (var connection = dataSource.OpenConnection())
            {
                PostgresMigrator.Migrate(connection, builder.SearchPath, defaultArtifactRoot);
            }

            return new PostgresDatabase(dataSource, server);
        }
        catch (Exception e) when (e is NpgsqlException)
        {
            dataSource.Dispose();
            throw PostgresErrors.Translate(e, server);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one READ COMMITTED transaction, again from the start after a serialization failure or deadlock.</summary>
    internal async Task<T> WriteAsync<T>(Func<PgDb, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
                var result = await work(new PgDb(connection, transaction)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException e) when (PostgresErrors.IsRetryable(e) && attempt < MaxAttempts)
            {
                // Back off a little, with jitter, so the transactions that collided do not collide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 << attempt)), cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw PostgresErrors.Translate(e, Server);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in one read-only REPEATABLE READ transaction, so its queries see one snapshot.</summary>
    internal async Task<T> ReadAsync<T>(Func<PgDb, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            var result = await work(new PgDb(connection, transaction)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw PostgresErrors.Translate(e, Server);
        }
    }

    /// <summary>
    /// Refreshes the planner's statistics of <paramref name="table"/> after a batch that grew it by
    /// a fifth or more (and at least <see cref="StatisticsBatchFloor"/> rows). Autovacuum gets there
    /// within a minute or so, but until then a table analysed while it held a handful of rows is
    /// planned as if it still did: a 20,000-row join then runs as a nested loop over the whole table
    /// for each row (minutes instead of milliseconds). Best effort: the batch has committed, so a
    /// failure here is ignored, and <c>SKIP_LOCKED</c> leaves the work to whichever replica is
    /// already analysing.
    /// </summary>
    /// <param name="table">A table of Keel's schema (a constant from the code, never user input).</param>
    /// <param name="rowsWritten">Rows the batch inserted or changed.</param>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    internal async Task RefreshStatisticsAsync(string table, long rowsWritten, CancellationToken cancellationToken)
    {
        if (rowsWritten < StatisticsBatchFloor)
        {
            return;
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (var estimate = new NpgsqlCommand("SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)", connection))
            {
                estimate.Parameters.Add(new NpgsqlParameter { Value = table });
                // reltuples is -1 until the first ANALYZE (PostgreSQL 14+), 0 on older servers.
                if (await estimate.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is float tuples && tuples > 0 && rowsWritten * 5 < tuples)
                {
                    return;
                }
            }

            await using var analyze = new NpgsqlCommand($"ANALYZE (SKIP_LOCKED) {table}", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException) when (!cancellationToken.IsCancellationRequested)
        {
            // Statistics are an optimisation; autovacuum refreshes them later anyway.
        }
    }

    /// <summary>Batches smaller than this never trigger <see cref="RefreshStatisticsAsync"/>.</summary>
    internal const int StatisticsBatchFloor = 1_000;

    /// <summary>Opens a pooled connection outside any transaction (bulk paths that manage their own).</summary>
    internal async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw PostgresErrors.Translate(e, Server);
        }
    }

    /// <summary>A connection of its own, outside the pool's sharing rules, for a long-lived LISTEN.</summary>
    internal NpgsqlConnection CreateDedicatedConnection() => _dataSource.CreateConnection();

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
