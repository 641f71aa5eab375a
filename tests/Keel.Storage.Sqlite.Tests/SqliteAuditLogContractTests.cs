using Keel.Core.Governance;
using Keel.Storage.Contracts;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite audit log in the audit contract: each log on a fresh temp file; tampering is raw SQL on that file.</summary>
public sealed class SqliteAuditLogContractTests : AuditLogContract
{
    private readonly TempDatabase _database = new();
    private string? _path;

    protected override IAuditLog CreateLog()
    {
        _path = _database.NewPath();
        return new SqliteAuditLog(_path);
    }

    protected override async Task TamperAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
        }
    }
}
