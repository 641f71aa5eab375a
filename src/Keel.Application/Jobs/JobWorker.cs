using Keel.Core.Errors;
using Keel.Core.Jobs;

namespace Keel.Application.Jobs;

/// <summary>
/// The loop behind <c>keel worker</c>: each of <see cref="JobWorkerOptions.Concurrency"/> slots
/// leases a job of a kind it has a handler for, runs it while heartbeating the lease, and reports the
/// outcome (complete, or fail to be retried with backoff). A lease that is lost (it expired while the
/// worker was stalled, or the job was cancelled) cancels the handler and its outcome is dropped: the
/// queue has already handed the job on. Stopping stops leasing; running jobs get
/// <see cref="JobWorkerOptions.DrainTimeout"/> to finish, then are cancelled and released so
/// another worker takes them at once.
/// </summary>
public sealed class JobWorker : IDisposable
{
    private readonly IJobQueue _queue;
    private readonly Dictionary<string, IJobHandler> _handlers;
    private readonly JobWorkerOptions _options;
    private readonly Action<string> _log;
    private readonly JobSignal? _signal;

    /// <param name="queue">The queue to lease from.</param>
    /// <param name="handlers">The handlers, one per kind.</param>
    /// <param name="options">Settings.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="signal">Wakes the worker early when this process enqueues work; null to poll only.</param>
    public JobWorker(IJobQueue queue, IEnumerable<IJobHandler> handlers, JobWorkerOptions options, Action<string>? log = null, JobSignal? signal = null)
    {
        _signal = signal;
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        ArgumentNullException.ThrowIfNull(handlers);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
        if (_handlers.Count == 0)
        {
            throw new ArgumentException("A worker needs at least one job handler.", nameof(handlers));
        }

        _log = log ?? (_ => { });
    }

    /// <summary>The job kinds this worker leases.</summary>
    public IReadOnlyList<string> Kinds => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Jobs this worker finished (completed or failed) since it started.</summary>
    public long Finished => Interlocked.Read(ref _finished);

    private long _finished;

    private readonly CancellationTokenSource _drainNow = new();

    /// <summary>Ends the drain at once: running jobs are cancelled and released (a second Ctrl-C).</summary>
    public void DrainNow() => _drainNow.Cancel();

    /// <summary>Runs until <paramref name="stopping"/> is cancelled and the running jobs are finished or released.</summary>
    /// <param name="stopping">Stops the worker gracefully.</param>
    public Task RunAsync(CancellationToken stopping) =>
        Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(() => SlotAsync(stopping), CancellationToken.None)));

    private async Task SlotAsync(CancellationToken stopping)
    {
        var kinds = Kinds;
        while (!stopping.IsCancellationRequested)
        {
            JobLease? lease;
            var seen = _signal?.Version ?? 0;
            try
            {
                lease = await _queue.LeaseAsync(_options.WorkerId, kinds, _options.Lease, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (KeelException e) when (IsTransient(e))
            {
                // The queue is unreachable or busy: keep the worker alive and ask again later.
                _log($"queue unavailable ({e.Message}); retrying");
                lease = null;
            }

            if (lease is null)
            {
                try
                {
                    if (_signal is null)
                    {
                        await Task.Delay(_options.Poll, stopping).ConfigureAwait(false);
                    }
                    else
                    {
                        await _signal.WaitAsync(seen, _options.Poll, stopping).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            await RunOneAsync(lease, stopping).ConfigureAwait(false);
        }
    }

    private async Task RunOneAsync(JobLease lease, CancellationToken stopping)
    {
        var job = lease.Job;
        _log($"job {job.Id} ({job.Kind}) leased, attempt {job.Attempts} of {job.MaxAttempts}");
        using var work = new CancellationTokenSource();
        using var heartbeatStop = new CancellationTokenSource();
        // A stop request gives the job the drain time, then cancels it (and it is released).
        await using var onStop = stopping.Register(() => work.CancelAfter(_options.Drain)).ConfigureAwait(false);
        await using var onDrainNow = _drainNow.Token.Register(work.Cancel).ConfigureAwait(false);
        var lost = new StrongBox();
        var heartbeat = HeartbeatAsync(lease, work, lost, heartbeatStop.Token);

        string? result = null;
        Exception? failure = null;
        var cancelled = false;
        try
        {
            result = await _handlers[job.Kind].RunAsync(job, work.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (work.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (Exception e)
        {
            failure = e;
        }

        await heartbeatStop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);

        if (lost.Value)
        {
            _log($"job {job.Id}: lease lost; its outcome is dropped (the queue delivers the job again)");
            return;
        }

        try
        {
            if (cancelled)
            {
                await _queue.ReleaseAsync(job.Id, lease.Token, CancellationToken.None).ConfigureAwait(false);
                _log($"job {job.Id}: released unfinished (worker stopping)");
            }
            else if (failure is not null)
            {
                var after = await _queue.FailAsync(job.Id, lease.Token, Describe(failure), null, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _finished);
                _log($"job {job.Id}: failed ({Describe(failure)}); {(after.State == JobState.Dead ? "dead after its last attempt" : "will be retried")}");
            }
            else
            {
                await _queue.CompleteAsync(job.Id, lease.Token, result, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _finished);
                _log($"job {job.Id}: succeeded");
            }
        }
        catch (KeelException e)
        {
            // Refused (the lease ran out just now) or unreachable: either way the lease expires and
            // the job is delivered again, which is why handlers must be safe to run twice.
            _log($"job {job.Id}: outcome not recorded ({e.Message})");
        }
    }

    /// <summary>Extends the lease every third of its duration; a refusal means the lease is gone and the work is cancelled.</summary>
    private async Task HeartbeatAsync(JobLease lease, CancellationTokenSource work, StrongBox lost, CancellationToken stop)
    {
        // The beat is also how a running job learns it was cancelled (the queue refuses the beat), so it
        // comes at least every 5 s, not only a third of the lease, and a cancel stops the work promptly.
        var interval = TimeSpan.FromTicks(Math.Min(_options.Lease.Ticks / 3, TimeSpan.FromSeconds(5).Ticks));
        while (true)
        {
            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
                await _queue.HeartbeatAsync(lease.Job.Id, lease.Token, _options.Lease, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (KeelException e) when (e.Code is ErrorCode.ResourceConflict or ErrorCode.ResourceDoesNotExist)
            {
                lost.Value = true;
                await work.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (KeelException e) when (IsTransient(e))
            {
                // Try again at the next beat; if the queue stays away the lease runs out and the job moves on.
                _log($"job {lease.Job.Id}: heartbeat failed ({e.Message})");
            }
        }
    }

    private static bool IsTransient(KeelException e) =>
        e.Code is ErrorCode.TemporarilyUnavailable or ErrorCode.DeadlineExceeded or ErrorCode.InternalError or ErrorCode.IoError or ErrorCode.RequestLimitExceeded;

    private static string Describe(Exception e) => e is KeelException k ? $"{k.Code}: {k.Message}" : $"{e.GetType().Name}: {e.Message}";

    public void Dispose() => _drainNow.Dispose();

    private sealed class StrongBox
    {
        public volatile bool Value;
    }
}
