using System.Data.Common;
using System.Globalization;
using Keel.Core.Coordination;
using Keel.Core.Errors;

namespace Keel.Storage.Sql;

/// <summary>
/// Helpers for SQL written once for SQLite and PostgreSQL over ADO.NET: statements use positional
/// <c>$1</c> parameters, which SQLite needs named and Npgsql takes positionally.
/// </summary>
internal abstract class PortableSql
{
    private readonly bool _namedParameters;

    /// <param name="namedParameters">True for SQLite (parameters named <c>$1</c>), false for PostgreSQL (positional).</param>
    protected PortableSql(bool namedParameters) => _namedParameters = namedParameters;

    protected DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, object?[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            if (_namedParameters)
            {
                parameter.ParameterName = "$" + (i + 1).ToString(CultureInfo.InvariantCulture);
            }

            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    protected async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, string sql, params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, string sql, params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    protected async Task<List<T>> ListAsync<T>(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, Func<DbDataReader, T> map, string sql, params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }

    // A leader's write is applied only while its epoch is the lease's current one and unexpired; on
    // PostgreSQL (databaseNow given) the lease row is share-locked until commit, so a takeover cannot
    // slip in between, and the database's clock judges expiry so replicas agree.
    protected async Task CheckFenceAsync(DbConnection connection, DbTransaction transaction, LeaseFence? fence, string? databaseNow, long now, string what, CancellationToken cancellationToken)
    {
        if (fence is null)
        {
            return;
        }

        var held = databaseNow is null
            ? await ScalarAsync(connection, transaction, cancellationToken, "SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > $4", fence.Name, fence.Holder, fence.Epoch, now).ConfigureAwait(false)
            : await ScalarAsync(connection, transaction, cancellationToken, $"SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > {databaseNow} FOR SHARE", fence.Name, fence.Holder, fence.Epoch).ConfigureAwait(false);
        if (held is null)
        {
            throw new KeelException(ErrorCode.ResourceConflict, $"Lease '{fence.Name}' epoch {fence.Epoch} held by '{fence.Holder}' is no longer current; the {what} was not applied.");
        }
    }
}
