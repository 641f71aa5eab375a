using Npgsql;

namespace Keel.Storage.Postgres.Tests;

/// <summary>
/// Fresh, empty databases for one test class instance (xUnit makes one per test): each is its own
/// schema on the test server (from <see cref="SchemaPool"/>), so tests never see each other's rows
/// and run in parallel.
/// </summary>
internal sealed class TestDatabases : IDisposable
{
    private readonly List<(PostgresDatabase Database, string Schema)> _opened = [];

    public PostgresDatabase Open(string defaultArtifactRoot = Keel.Core.Artifacts.ArtifactUri.ProxyRoot) => Open(SchemaPool.Rent(defaultArtifactRoot), defaultArtifactRoot);

    public PostgresDatabase Open(NpgsqlConnectionStringBuilder settings, string defaultArtifactRoot = Keel.Core.Artifacts.ArtifactUri.ProxyRoot)
    {
        var database = PostgresDatabase.Open(settings, defaultArtifactRoot);
        _opened.Add((database, settings.SearchPath!));
        return database;
    }

    public void Dispose()
    {
        foreach (var (database, _) in _opened)
        {
            database.Dispose();
        }

        // A schema opened several times (replicas on one database) goes back once.
        foreach (var schema in _opened.Select(o => o.Schema).Distinct())
        {
            SchemaPool.Return(schema);
        }

        _opened.Clear();
    }
}
