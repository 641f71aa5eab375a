using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// A connection plus the transaction commands must join (null on reader connections, which use a
/// raw BEGIN), so row-loading code serves both the write path and the read path.
/// </summary>
internal readonly record struct Db(SqliteConnection Connection, SqliteTransaction? Transaction)
{
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }
}
