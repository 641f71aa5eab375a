namespace Keel.Storage.Sqlite;

/// <summary>One store's reference to the shared <see cref="SqliteDatabase"/> of a file; disposing it twice releases once.</summary>
internal sealed class SqliteDatabaseHandle(SqliteDatabase database) : IDisposable
{
    private int _released;

    public SqliteDatabase Database { get; } = database;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Database.Release();
        }
    }
}
