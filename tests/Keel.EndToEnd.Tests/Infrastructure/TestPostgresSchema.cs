using Keel.Storage.Postgres;
using Npgsql;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A fresh schema on the test PostgreSQL server for one test's `keel server` processes (the
/// server creates it and its tables on start); dropped at dispose.
/// </summary>
public sealed class TestPostgresSchema : IAsyncDisposable
{
    public const string Variable = "KEEL_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _schema;

    private TestPostgresSchema(string server, string schema)
    {
        _server = server;
        _schema = schema;
        Uri = server + (server.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "search_path=" + schema;
    }

    public static string? ServerUri => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } uri ? uri : null;

    /// <summary>The --backend-store-uri that puts a server in this schema.</summary>
    public string Uri { get; }

    public static TestPostgresSchema Create() =>
        new(ServerUri ?? throw new InvalidOperationException($"{Variable} is not set; .ci/run starts PostgreSQL and sets it."),
            "keel_e2e_" + Guid.NewGuid().ToString("N")[..12]);

    public async ValueTask DisposeAsync()
    {
        var settings = PostgresUri.Parse(_server);
        settings.Pooling = false;
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
