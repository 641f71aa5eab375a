using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Moves WAL checkpoints off the write path. By default SQLite checkpoints inside whichever commit
/// pushes the WAL past 1000 pages, and a checkpoint fsyncs: under bulk ingestion that stalled one
/// write in every few dozen while holding the single writer lock. The writer connection turns
/// auto-checkpointing off and this runs a PASSIVE checkpoint (which never blocks writers or
/// readers) on its own connection once a second.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Timer _timer;
    // 0 idle, 1 a checkpoint runs, 2 disposed (no checkpoint may start: a timer callback already
    // queued when the timer was disposed would otherwise run on a closed connection).
    private int _running;

    public WalCheckpointer(string connectionString, TimeSpan interval)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _timer = new Timer(_ => Checkpoint(), null, interval, interval);
    }

    public void Dispose()
    {
        _timer.Dispose();
        // Wait for a checkpoint in flight, then close the door on late callbacks, before closing the connection.
        SpinWait.SpinUntil(() => Interlocked.CompareExchange(ref _running, 2, 0) != 1, TimeSpan.FromSeconds(10));
        _connection.Dispose();
    }

    private void Checkpoint()
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }

        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Best effort: a busy or failed passive checkpoint is retried on the next tick, and
            // SQLite checkpoints the remainder when the last connection closes.
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // Closed under us at shutdown (Dispose gave up waiting): nothing left to checkpoint.
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
