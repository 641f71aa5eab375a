using Keel.Core.Backends;
using Keel.Core.Governance;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="Keel.Client.RestAuditLog"/> enrolls in the audit log contract: each test gets a
/// fresh in-process server; queries and verification go over real HTTP. Appending has no HTTP route
/// (the server's use cases append as they change things), so the test appends on the server's own
/// log; tampering is raw SQL on the server's SQLite file.
/// </summary>
public sealed class RestAuditLogContractTests : AuditLogContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();
    private IAuditLog? _server;
    private string? _path;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    protected override IAuditLog CreateLog()
    {
        var (client, services) = _servers.Start(new Keel.Server.KeelServerOptions());
        var backend = services.GetRequiredService<IMetadataBackend>();
        _server = backend.Audit;
        _path = backend.Description;
        return client.Audit;
    }

    protected override Task<AuditEvent> AppendAsync(AuditEntry entry)
    {
        _ = Log;
        return _server!.AppendAsync(entry);
    }

    protected override async Task TamperAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
