using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Pipelines;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Pipelines.Tests.Engine;

/// <summary>A worker that stalls past its lease: another takes the step over as a new try, and the stalled one's outcome is refused.</summary>
public sealed class LostWorkerTests
{
    [Fact]
    public async Task A_step_whose_lease_lapsed_is_taken_over_and_the_late_outcome_is_refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var probe = new ProbeStep();
        await using var h = new PipelineHarness(time, [probe]);
        await h.ApplyAsync("name: lost\nsteps:\n  - {name: a, type: probe}\n  - {name: b, type: probe, inputs: {in: '${steps.a.value}'}}\n");

        // Worker A's first try of 'a' stalls until the test lets it go; every other try returns at once.
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = async (c, _) =>
        {
            if (c.Step.Name == "a" && c.Attempt == 1)
            {
                stalled.TrySetResult();
                await release.Task;
                return "from-A";
            }

            return c.Step.Name == "a" ? "from-B" : $"b got {c.Inputs["in"]}";
        };

        var run = await h.StartAsync("lost");
        var leaseA = (await h.Queue.LeaseAsync("worker-A", [PipelineOptions.StepJobKind], TimeSpan.FromSeconds(30)))!;
        var runnerA = h.NewRunner(h.Store, h.Queue);
        var workerA = Task.Run(() => runnerA.ExecuteStepAsync(leaseA.Job, CancellationToken.None));
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((StepRunState.Running, 1), ((await h.StepsAsync(run.Id))["a"].State, (await h.StepsAsync(run.Id))["a"].Attempt));

        // A's lease runs out (it sent no heartbeat); B leases the same job and takes the step over.
        Assert.Null(await h.Queue.LeaseAsync("worker-B", [PipelineOptions.StepJobKind], TimeSpan.FromSeconds(30)));
        time.Advance(TimeSpan.FromSeconds(31));
        var leaseB = (await h.Queue.LeaseAsync("worker-B", [PipelineOptions.StepJobKind], TimeSpan.FromSeconds(30)))!;
        Assert.Equal((leaseA.Job.Id, 2), (leaseB.Job.Id, leaseB.Job.Attempts));
        await h.RunLeasedAsync(leaseB);
        var a = (await h.StepsAsync(run.Id))["a"];
        Assert.Equal((StepRunState.Succeeded, 2, "from-B"), (a.State, a.Attempt, a.Outputs["value"]));

        // A wakes up: its outcome is refused by the step's fence and by the queue.
        release.SetResult();
        await workerA;
        var refused = await Assert.ThrowsAsync<KeelException>(() => h.Store.UpdateStepAsync(
            new StepUpdate(run.Id, "a", StepRunState.Running, 1, StepRunState.Succeeded, Outputs: new Dictionary<string, string> { ["value"] = "from-A" })));
        Assert.Equal(ErrorCode.ResourceConflict, refused.Code);
        var late = await Assert.ThrowsAsync<KeelException>(() => h.Queue.CompleteAsync(leaseA.Job.Id, leaseA.Token, null));
        Assert.Equal(ErrorCode.ResourceConflict, late.Code);

        var finished = await h.FinishAsync(run.Id);
        Assert.Equal(PipelineRunState.Succeeded, finished.State);
        var steps = await h.StepsAsync(run.Id);
        Assert.Equal("from-B", steps["a"].Outputs["value"]);
        Assert.Equal("b got from-B", steps["b"].Outputs["value"]);
        var events = await h.EventsAsync(run.Id);
        Assert.Single(events, e => e.Step == "a" && e.State == "succeeded");
        Assert.Single(events, e => e.Step == "b" && e.State == "succeeded");
        var log = await h.Store.ListLogAsync(run.Id, "a", 0, 100);
        Assert.Contains(log, l => l.Attempt == 2 && l.Line.Contains("try 1 was lost with its worker; taking over as try 2", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Attempt == 1 && l.Line.Contains("outcome not recorded", StringComparison.Ordinal));
        Assert.Equal(["a", "a", "b"], probe.Started.Select(s => s.Step));
    }

    [Fact]
    public async Task A_worker_cancelled_mid_step_releases_the_job_and_another_worker_finishes_the_run()
    {
        var probe = new ProbeStep();
        await using var h = new PipelineHarness(extraSteps: [probe]);
        await h.ApplyAsync("name: handover\nsteps:\n  - {name: a, type: probe}\n  - {name: b, type: probe, after: a}\n");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = async (c, token) =>
        {
            if (c.Step.Name == "a" && c.Attempt == 1)
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            return $"{c.Step.Name}#{c.Attempt}";
        };

        using var stopA = new CancellationTokenSource();
        using var workerA = h.Worker("worker-A", 1);
        var runningA = workerA.RunAsync(stopA.Token);
        var run = await h.StartAsync("handover");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await stopA.CancelAsync();
        workerA.DrainNow();
        await runningA;

        using var stopB = new CancellationTokenSource();
        using var workerB = h.Worker("worker-B", 1);
        var runningB = workerB.RunAsync(stopB.Token);
        await PipelineHarness.WaitForAsync(async () => PipelineTransitions.IsFinal((await h.RunAsync(run.Id)).State), "the run to end");
        await stopB.CancelAsync();
        await runningB;

        Assert.Equal(PipelineRunState.Succeeded, (await h.RunAsync(run.Id)).State);
        var steps = await h.StepsAsync(run.Id);
        Assert.Equal(("a#2", 2), (steps["a"].Outputs["value"], steps["a"].Attempt));
        var events = await h.EventsAsync(run.Id);
        Assert.Single(events, e => e.Step == "a" && e.State == "succeeded");
        Assert.Single(events, e => e.Step == "b" && e.State == "succeeded");
    }
}
