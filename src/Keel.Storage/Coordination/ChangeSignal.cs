namespace Keel.Storage.Coordination;

/// <summary>
/// Wakes the waiters of a store's change feed: pulsed after a change commits in this process (and,
/// on PostgreSQL, when a notification from another replica arrives). A waiter that misses a pulse
/// still wakes at its timeout and reads the feed, so a pulse is a hint, never the only path.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes everyone waiting now.</summary>
    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>True when pulsed within <paramref name="timeout"/>, false when the time ran out.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pulsed = Volatile.Read(ref _next).Task;
        try
        {
            await pulsed.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
