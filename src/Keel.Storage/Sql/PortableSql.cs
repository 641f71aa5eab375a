using System.Data.Common;
using System.Globalization;

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
}
