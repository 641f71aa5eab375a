using Keel.Storage.Coordination;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>
/// One LISTEN connection per store, kept open in the background: each notification on the channel
/// pulses the store's <see cref="ChangeSignal"/>. A dropped connection is opened again after a
/// pause; meanwhile waiters fall back to their timeouts and read the feed, so nothing is missed,
/// only noticed later.
/// </summary>
internal sealed class PostgresChangeListener : IDisposable
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);
    private readonly ChangeSignal _signal = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PostgresChangeListener(PostgresDatabase database, string channel)
    {
        _loop = Task.Run(() => ListenAsync(database, channel, _stop.Token));
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; nothing to report at shutdown.
        }

        _stop.Dispose();
    }

    private async Task ListenAsync(PostgresDatabase database, string channel, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = database.CreateDedicatedConnection();
                await connection.OpenAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, _) => _signal.Pulse();
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                // Anything committed while we were not listening: let the waiters read the feed.
                _signal.Pulse();
                while (!stop.IsCancellationRequested)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                // The server went away or restarted: listen again shortly; the feed covers the gap.
                _signal.Pulse();
                try
                {
                    await Task.Delay(Reconnect, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
