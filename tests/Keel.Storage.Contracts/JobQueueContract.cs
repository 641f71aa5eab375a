using System.Collections.Concurrent;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IJobQueue"/> backend signs up to: jobs round-trip, idempotency
/// keys deduplicate, leases never overlap (also under concurrency), a lapsed lease is delivered
/// again and its old holder is refused, failures are retried until the job is dead, and cancel,
/// release and listing behave alike everywhere. Lease expiry is waited for with a deadline, never
/// slept for; leases here are one second, the shortest the API allows.
/// </summary>
public abstract class JobQueueContract : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private IJobQueue? _queue;

    /// <summary>Returns a fresh, empty queue on every call.</summary>
    protected abstract IJobQueue CreateQueue();

    protected IJobQueue Queue => _queue ??= CreateQueue();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task Enqueued_job_round_trips_and_an_idempotency_key_returns_the_first_job()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", """{"part":1,"name":"ä"}""", "batch-1/part-1", MaxAttempts: 4));
        Assert.True(job.Id > 0);
        Assert.Equal(("score", JobState.Queued, 0, 4, "batch-1/part-1"), (job.Kind, job.State, job.Attempts, job.MaxAttempts, job.IdempotencyKey));
        AssertSameJson("""{"part":1,"name":"ä"}""", job.Payload);
        Assert.Null(job.LeaseOwner);
        Assert.Null(job.FinishedAt);

        var again = await Queue.EnqueueAsync(new NewJob("score", """{"part":2}""", "batch-1/part-1"));
        Assert.Equal(job.Id, again.Id);
        AssertSameJson("""{"part":1,"name":"ä"}""", again.Payload);

        var other = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        Assert.True(other.Id > job.Id);
        Assert.Equal(job, await Queue.GetJobAsync(job.Id));
        Assert.Null(await Queue.GetJobAsync(other.Id + 1000));
    }

    [ContractFact]
    public async Task Lease_takes_the_oldest_ready_job_of_the_asked_kinds()
    {
        var later = await Queue.EnqueueAsync(new NewJob("score", "{}", NotBefore: DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()));
        var otherKind = await Queue.EnqueueAsync(new NewJob("train", "{}"));
        var first = await Queue.EnqueueAsync(new NewJob("score", "1"));
        var second = await Queue.EnqueueAsync(new NewJob("score", "2"));

        var lease = await Queue.LeaseAsync("w1", ["score"], Long);
        Assert.NotNull(lease);
        Assert.Equal(first.Id, lease.Job.Id);
        Assert.Equal((JobState.Leased, 1, "w1"), (lease.Job.State, lease.Job.Attempts, lease.Job.LeaseOwner));
        Assert.True(lease.Job.LeaseExpiresAt > DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeMilliseconds());
        Assert.False(string.IsNullOrEmpty(lease.Token));

        Assert.Equal(second.Id, (await Queue.LeaseAsync("w2", ["score"], Long))!.Job.Id);
        Assert.Null(await Queue.LeaseAsync("w3", ["score"], Long));
        Assert.Equal(otherKind.Id, (await Queue.LeaseAsync("w3", ["score", "train"], Long))!.Job.Id);
        Assert.Equal(JobState.Queued, (await Queue.GetJobAsync(later.Id))!.State);
    }

    [ContractFact]
    public async Task Complete_records_the_result_once_and_only_for_the_holder()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var lease = (await Queue.LeaseAsync("w1", ["score"], Long))!;
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.CompleteAsync(job.Id, "not-the-token", "1"));

        var done = await Queue.CompleteAsync(job.Id, lease.Token, """{"rows":10}""");
        Assert.Equal(JobState.Succeeded, done.State);
        AssertSameJson("""{"rows":10}""", done.Result!);
        Assert.NotNull(done.FinishedAt);
        Assert.Null(done.LeaseExpiresAt);

        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.CompleteAsync(job.Id, lease.Token, "2"));
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Queue.CompleteAsync(job.Id + 1000, lease.Token, null));
        AssertSameJson("""{"rows":10}""", (await Queue.GetJobAsync(job.Id))!.Result!);
        Assert.Null(await Queue.LeaseAsync("w2", ["score"], Long));
    }

    [ContractFact]
    public async Task Workers_leasing_concurrently_never_get_the_same_job()
    {
        const int jobs = 40;
        for (var i = 0; i < jobs; i++)
        {
            await Queue.EnqueueAsync(new NewJob("score", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var taken = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            while (await Queue.LeaseAsync($"w{w}", ["score"], Long) is { } lease)
            {
                taken.Add(lease.Job.Id);
                await Queue.CompleteAsync(lease.Job.Id, lease.Token, null);
            }
        })));

        Assert.Equal(jobs, taken.Count);
        Assert.Equal(jobs, taken.Distinct().Count());
        Assert.Equal(jobs, (await Queue.ListJobsAsync(JobState.Succeeded, null, 0, 100)).Count);
    }

    [ContractFact]
    public async Task An_expired_lease_is_delivered_again_and_the_stale_holder_is_refused()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var stale = (await Queue.LeaseAsync("w1", ["score"], Short))!;

        var fresh = await WaitForLeaseAsync("w2");
        Assert.Equal(job.Id, fresh.Job.Id);
        Assert.Equal((2, "w2"), (fresh.Job.Attempts, fresh.Job.LeaseOwner));
        Assert.NotEqual(stale.Token, fresh.Token);
        Assert.Contains("w1", fresh.Job.LastError, StringComparison.Ordinal);

        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.HeartbeatAsync(job.Id, stale.Token, Long));
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.CompleteAsync(job.Id, stale.Token, "1"));
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.FailAsync(job.Id, stale.Token, "boom", TimeSpan.Zero));
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.ReleaseAsync(job.Id, stale.Token));

        var done = await Queue.CompleteAsync(job.Id, fresh.Token, "2");
        Assert.Equal(JobState.Succeeded, done.State);
        AssertSameJson("2", done.Result!);
    }

    [ContractFact]
    public async Task A_lapsed_lease_is_refused_even_before_anyone_else_takes_the_job()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var lease = (await Queue.LeaseAsync("w1", ["score"], Short))!;
        await WaitUntilAsync(async () => (await Queue.GetJobAsync(job.Id))!.LeaseExpiresAt < DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 200, "the lease to lapse");
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.CompleteAsync(job.Id, lease.Token, null));
        Assert.Equal(JobState.Leased, (await Queue.GetJobAsync(job.Id))!.State);
    }

    [ContractFact]
    public async Task A_heartbeat_extends_the_lease_of_its_holder()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var lease = (await Queue.LeaseAsync("w1", ["score"], TimeSpan.FromMinutes(1)))!;
        var extended = await Queue.HeartbeatAsync(job.Id, lease.Token, TimeSpan.FromMinutes(30));
        Assert.True(extended.LeaseExpiresAt > lease.Job.LeaseExpiresAt + (20 * 60 * 1000L));
        Assert.Equal((JobState.Leased, 1), (extended.State, extended.Attempts));
        Assert.Null(await Queue.LeaseAsync("w2", ["score"], Long));
    }

    [ContractFact]
    public async Task Failures_are_retried_until_the_last_attempt_then_the_job_is_dead()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", "{}", MaxAttempts: 3));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var lease = (await Queue.LeaseAsync("w1", ["score"], Long))!;
            Assert.Equal((job.Id, attempt), (lease.Job.Id, lease.Job.Attempts));
            var after = await Queue.FailAsync(job.Id, lease.Token, $"boom {attempt}", TimeSpan.Zero);
            Assert.Equal($"boom {attempt}", after.LastError);
            Assert.Equal(attempt < 3 ? JobState.Queued : JobState.Dead, after.State);
        }

        var dead = (await Queue.GetJobAsync(job.Id))!;
        Assert.Equal((JobState.Dead, 3), (dead.State, dead.Attempts));
        Assert.NotNull(dead.FinishedAt);
        Assert.Null(await Queue.LeaseAsync("w1", ["score"], Long));
        Assert.Equal([job.Id], (await Queue.ListJobsAsync(JobState.Dead, null, 0, 10)).Select(j => j.Id));
    }

    [ContractFact]
    public async Task A_failure_waits_out_its_backoff_before_the_next_attempt()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var lease = (await Queue.LeaseAsync("w1", ["score"], Long))!;
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var failed = await Queue.FailAsync(job.Id, lease.Token, "boom", TimeSpan.FromMinutes(10));
        Assert.Equal(JobState.Queued, failed.State);
        Assert.InRange(failed.NotBefore, before + (9 * 60 * 1000L), before + (11 * 60 * 1000L));
        Assert.Null(await Queue.LeaseAsync("w1", ["score"], Long));

        var other = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var next = (await Queue.LeaseAsync("w1", ["score"], Long))!;
        var defaulted = await Queue.FailAsync(other.Id, next.Token, "boom", null);
        Assert.True(defaulted.NotBefore > before, "the default backoff delays the retry");
    }

    [ContractFact]
    public async Task A_lease_that_lapses_on_the_last_attempt_makes_the_job_dead()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", "{}", MaxAttempts: 1));
        await Queue.LeaseAsync("w1", ["score"], Short);
        await WaitUntilAsync(async () =>
        {
            await Queue.LeaseAsync("w2", ["score"], Long);
            return (await Queue.GetJobAsync(job.Id))!.State == JobState.Dead;
        }, "the job to be dead");
        var dead = (await Queue.GetJobAsync(job.Id))!;
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("w1", dead.LastError, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Release_gives_the_job_back_at_once_without_spending_the_attempt()
    {
        var job = await Queue.EnqueueAsync(new NewJob("score", "{}", MaxAttempts: 1));
        var lease = (await Queue.LeaseAsync("w1", ["score"], Long))!;
        var released = await Queue.ReleaseAsync(job.Id, lease.Token);
        Assert.Equal((JobState.Queued, 0), (released.State, released.Attempts));
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.CompleteAsync(job.Id, lease.Token, null));

        var again = (await Queue.LeaseAsync("w2", ["score"], Long))!;
        Assert.Equal((job.Id, 1), (again.Job.Id, again.Job.Attempts));
    }

    [ContractFact]
    public async Task Cancel_stops_queued_and_leased_jobs_and_refuses_finished_ones()
    {
        var queued = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var cancelled = await Queue.CancelAsync(queued.Id);
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.Equal(JobState.Cancelled, (await Queue.CancelAsync(queued.Id)).State);
        Assert.Null(await Queue.LeaseAsync("w1", ["score"], Long));

        var running = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var lease = (await Queue.LeaseAsync("w1", ["score"], Long))!;
        await Queue.CancelAsync(running.Id);
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.HeartbeatAsync(running.Id, lease.Token, Long));
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.CompleteAsync(running.Id, lease.Token, null));

        var finished = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var held = (await Queue.LeaseAsync("w1", ["score"], Long))!;
        await Queue.CompleteAsync(finished.Id, held.Token, null);
        await AssertFailsAsync(ErrorCode.ResourceConflict, () => Queue.CancelAsync(finished.Id));
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Queue.CancelAsync(finished.Id + 1000));
    }

    [ContractFact]
    public async Task List_filters_by_state_and_kind_in_id_order_and_pages_by_id()
    {
        var a = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        var b = await Queue.EnqueueAsync(new NewJob("train", "{}"));
        var c = await Queue.EnqueueAsync(new NewJob("score", "{}"));
        await Queue.LeaseAsync("w1", ["train"], Long);

        Assert.Equal([a.Id, b.Id, c.Id], (await Queue.ListJobsAsync(null, null, 0, 10)).Select(j => j.Id));
        Assert.Equal([a.Id, c.Id], (await Queue.ListJobsAsync(JobState.Queued, null, 0, 10)).Select(j => j.Id));
        Assert.Equal([b.Id], (await Queue.ListJobsAsync(JobState.Leased, "train", 0, 10)).Select(j => j.Id));
        Assert.Empty(await Queue.ListJobsAsync(JobState.Leased, "score", 0, 10));
        Assert.Equal([a.Id], (await Queue.ListJobsAsync(null, "score", 0, 1)).Select(j => j.Id));
        Assert.Equal([c.Id], (await Queue.ListJobsAsync(null, "score", a.Id, 10)).Select(j => j.Id));
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            (_queue as IDisposable)?.Dispose();
        }
    }

    private async Task<JobLease> WaitForLeaseAsync(string worker)
    {
        JobLease? lease = null;
        await WaitUntilAsync(async () => (lease = await Queue.LeaseAsync(worker, ["score"], Long)) is not null, "the lapsed lease to be delivered again");
        return lease!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after 30 s waiting for {what}.");
            }

            // A poll interval, not a synchronisation: the condition decides.
            await Task.Delay(50);
        }
    }

    private static async Task AssertFailsAsync(ErrorCode code, Func<Task> action)
    {
        var exception = await Assert.ThrowsAsync<KeelException>(action);
        Assert.Equal(code, exception.Code);
    }

    // Backends may store JSON normalised (PostgreSQL jsonb): the value must survive, not its spacing.
    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), System.Text.Json.Nodes.JsonNode.Parse(actual)), $"expected {expected}, got {actual}");
}
