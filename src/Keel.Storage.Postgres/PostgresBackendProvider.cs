using Keel.Core.Backends;
using Keel.Storage.Postgres.Schema;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>
/// PostgreSQL metadata: <c>postgresql://user:password@host:port/database</c> as MLflow users write
/// it (also <c>postgres://</c> and <c>postgresql+driver://</c>), with the query options
/// <see cref="PostgresUri"/> checks. Every store opened here shares one pooled database.
/// </summary>
public sealed class PostgresBackendProvider : IMetadataBackendProvider
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Schemes { get; } = ["postgresql", "postgres"];

    /// <inheritdoc/>
    public string Form => "postgresql://user:password@host:port/database";

    /// <inheritdoc/>
    public bool OpensPlainPaths => false;

    /// <inheritdoc/>
    public IMetadataBackend Open(MetadataBackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var database = PostgresDatabase.Open(PostgresUri.Parse(settings.Uri, settings.Option), settings.DefaultArtifactRoot);
        return new PostgresMetadataBackend(database, settings.DefaultArtifactRoot);
    }

    /// <inheritdoc/>
    public async Task<MetadataBackendProbe> ProbeAsync(MetadataBackendSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = PostgresUri.Parse(settings.Uri, settings.Option);
        builder.ApplicationName ??= "keel doctor";
        builder.Pooling = false;
        builder.Timeout = Math.Clamp((int)Math.Ceiling(timeout.TotalSeconds), 1, builder.Timeout);
        var server = $"{builder.Host}:{builder.Port}/{builder.Database}";
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT to_regclass('keel_schema_version') IS NOT NULL", connection);
            var migrated = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            var version = migrated ? PostgresMigrator.CurrentVersion(connection) : 0;
            return new MetadataBackendProbe(server, Exists: true, version, PostgresMigrations.All[^1].Version, "PostgreSQL " + connection.PostgreSqlVersion.ToString());
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw PostgresErrors.Translate(e, server);
        }
    }

    /// <inheritdoc/>
    public string Redact(string uri) => PostgresUri.Redact(uri);
}
