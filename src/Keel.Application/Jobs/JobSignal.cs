namespace Keel.Application.Jobs;

/// <summary>
/// Wakes idle in-process workers when work is enqueued in the same process, so a step queued by a
/// finishing step starts at once instead of after the poll interval. Other replicas still find the
/// job by polling; the signal only shortens the wait. A worker reads <see cref="Version"/> before it
/// asks the queue, so a pulse between its empty answer and its wait is not missed.
/// </summary>
public sealed class JobSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    /// <summary>Raised by every pulse.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Wakes every worker waiting now.</summary>
    public void Pulse()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            _version++;
            done = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    /// <summary>Waits for a pulse after <paramref name="seen"/>, or <paramref name="timeout"/>, whichever comes first.</summary>
    /// <param name="seen">The <see cref="Version"/> read before the queue was asked.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task pulse;
        lock (_gate)
        {
            if (_version != seen)
            {
                return;
            }

            pulse = _next.Task;
        }

        await Task.WhenAny(pulse, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
