using Keel.Application.Jobs;
using Keel.Core.Jobs;
using Keel.Storage.Sqlite;
using Xunit;

namespace Keel.Application.Tests;

/// <summary>The worker loop over a real (SQLite) queue: outcomes recorded, graceful stop, lost leases.</summary>
public sealed class JobWorkerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keel-worker-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteJobQueue _queue;

    public JobWorkerTests()
    {
        Directory.CreateDirectory(_dir);
        _queue = new SqliteJobQueue(Path.Combine(_dir, "keel.db"));
    }

    public void Dispose()
    {
        _queue.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Results_and_failures_are_recorded_and_a_failure_on_the_last_attempt_is_dead()
    {
        var ok = await _queue.EnqueueAsync(new NewJob("echo", """{"n":1}"""));
        var boom = await _queue.EnqueueAsync(new NewJob("echo", """{"fail":true}""", MaxAttempts: 1));
        var other = await _queue.EnqueueAsync(new NewJob("echo", """{"n":2}"""));
        var handler = new Handler("echo", (job, _) => job.Payload.Contains("fail", StringComparison.Ordinal)
            ? throw new InvalidOperationException("boom")
            : Task.FromResult<string?>(job.Payload));
        using var worker = new JobWorker(_queue, [handler], Options(concurrency: 2));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        await WaitUntilAsync(async () => (await _queue.ListJobsAsync(null, null, 0, 10)).All(j => JobStateTransitions.IsFinal(j.State)), "every job to finish");
        await stop.CancelAsync();
        await run;

        Assert.Equal(("""{"n":1}""", JobState.Succeeded), ((await _queue.GetJobAsync(ok.Id))!.Result, (await _queue.GetJobAsync(ok.Id))!.State));
        Assert.Equal(JobState.Succeeded, (await _queue.GetJobAsync(other.Id))!.State);
        var dead = (await _queue.GetJobAsync(boom.Id))!;
        Assert.Equal(JobState.Dead, dead.State);
        Assert.Equal("InvalidOperationException: boom", dead.LastError);
        Assert.Equal(3, worker.Finished);
    }

    [Fact]
    public async Task A_stop_lets_the_running_job_finish_within_the_drain()
    {
        var job = await _queue.EnqueueAsync(new NewJob("slow", "{}"));
        var started = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        var handler = new Handler("slow", async (_, ct) =>
        {
            started.TrySetResult();
            await gate.Task.WaitAsync(ct);
            return "\"done\"";
        });
        using var worker = new JobWorker(_queue, [handler], Options(drain: TimeSpan.FromMinutes(5)));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await stop.CancelAsync();
        Assert.False(run.IsCompleted, "the worker waits for its running job");
        gate.SetResult();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Succeeded, (await _queue.GetJobAsync(job.Id))!.State);
    }

    [Fact]
    public async Task A_job_still_running_when_the_drain_ends_is_released_for_another_worker()
    {
        var job = await _queue.EnqueueAsync(new NewJob("stuck", "{}", MaxAttempts: 1));
        var started = new TaskCompletionSource();
        var handler = new Handler("stuck", async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        using var worker = new JobWorker(_queue, [handler], Options(drain: TimeSpan.Zero));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        var released = (await _queue.GetJobAsync(job.Id))!;
        Assert.Equal((JobState.Queued, 0), (released.State, released.Attempts));
        Assert.Equal(0, worker.Finished);
    }

    [Fact]
    public async Task A_lost_lease_cancels_the_handler_and_its_outcome_is_dropped()
    {
        var job = await _queue.EnqueueAsync(new NewJob("stuck", "{}"));
        var started = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource();
        var handler = new Handler("stuck", async (_, ct) =>
        {
            started.TrySetResult();
            await using var onCancel = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        var log = new List<string>();
        using var worker = new JobWorker(_queue, [handler], Options(lease: TimeSpan.FromSeconds(1)), m => { lock (log) { log.Add(m); } });
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Cancelled by an operator: the next heartbeat is refused and the handler is told to stop.
        await _queue.CancelAsync(job.Id);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Cancelled, (await _queue.GetJobAsync(job.Id))!.State);
        lock (log)
        {
            Assert.Contains(log, m => m.Contains("lease lost", StringComparison.Ordinal));
        }
    }

    private static JobWorkerOptions Options(int concurrency = 1, TimeSpan? lease = null, TimeSpan? drain = null) =>
        new("test-worker", concurrency, lease ?? TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20), drain ?? TimeSpan.FromSeconds(30));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    private sealed class Handler(string kind, Func<Job, CancellationToken, Task<string?>> run) : IJobHandler
    {
        public string Kind => kind;

        public Task<string?> RunAsync(Job job, CancellationToken cancellationToken) => run(job, cancellationToken);
    }
}
