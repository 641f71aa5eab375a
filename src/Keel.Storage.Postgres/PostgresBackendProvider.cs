using Keel.Core.Backends;

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
    public string Redact(string uri) => PostgresUri.Redact(uri);
}
