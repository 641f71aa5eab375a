using Keel.Core.Governance;
using Keel.Storage.Contracts;
using Npgsql;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL audit log in the audit contract: each log on a fresh schema; tampering is raw SQL in that schema.</summary>
[RequiresPostgres]
public sealed class PostgresAuditLogContractTests : AuditLogContract
{
    private readonly TestDatabases _databases = new();
    private NpgsqlConnectionStringBuilder? _settings;

    protected override IAuditLog CreateLog()
    {
        _settings = SchemaPool.Rent(Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        return new PostgresAuditLog(_databases.Open(_settings));
    }

    protected override async Task TamperAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_settings!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
