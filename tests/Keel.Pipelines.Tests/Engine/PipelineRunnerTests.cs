using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Pipelines;

namespace Keel.Pipelines.Tests.Engine;

/// <summary>The runner on SQLite: order, parallelism, caching, plans, retries, cancellation, limits, keys, tracking and logs.</summary>
public sealed class PipelineRunnerTests
{
    private const string Diamond = """
        name: diamond
        params: {x: '1'}
        steps:
          - {name: a, type: noop}
          - {name: b, type: noop, params: {value: '${params.x}'}, inputs: {in: '${steps.a.value}'}}
          - {name: c, type: noop, inputs: {in: '${steps.a.value}'}}
          - {name: d, type: noop, inputs: {left: '${steps.b.value}', right: '${steps.c.value}'}}
        """;

    [Fact]
    public async Task A_diamond_runs_each_step_once_in_dependency_order_with_independent_steps_overlapping()
    {
        var probe = new ProbeStep();
        await using var h = new PipelineHarness(extraSteps: [probe]);
        await h.ApplyAsync("""
            name: wide
            steps:
              - {name: a, type: probe}
              - {name: b, type: probe, inputs: {in: '${steps.a.value}'}}
              - {name: c, type: probe, inputs: {in: '${steps.a.value}'}}
              - {name: d, type: probe, inputs: {left: '${steps.b.value}', right: '${steps.c.value}'}}
            """);

        // b and c each wait until both are running: they finish only if the worker runs them side by side.
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var middle = 0;
        probe.Behaviour = async (c, token) =>
        {
            if (c.Step.Name is "b" or "c")
            {
                if (Interlocked.Increment(ref middle) == 2)
                {
                    both.TrySetResult();
                }

                await both.Task.WaitAsync(TimeSpan.FromSeconds(20), token);
            }

            return c.Step.Name;
        };

        using var stop = new CancellationTokenSource();
        using var worker = h.Worker("w", concurrency: 2);
        var running = worker.RunAsync(stop.Token);
        var run = await h.StartAsync("wide");
        await PipelineHarness.WaitForAsync(async () => PipelineTransitions.IsFinal((await h.RunAsync(run.Id)).State), "the run to end");
        await stop.CancelAsync();
        await running;

        Assert.Equal(PipelineRunState.Succeeded, (await h.RunAsync(run.Id)).State);
        Assert.Equal(["a", "b", "c", "d"], probe.Started.Select(s => s.Step).Order());
        Assert.Equal("a", probe.Started.First().Step);
        Assert.Equal("d", probe.Started.Last().Step);
        var steps = await h.StepsAsync(run.Id);
        Assert.All(steps.Values, s => Assert.Equal((StepRunState.Succeeded, 1), (s.State, s.Attempt)));
        Assert.True(steps["b"].StartedAt >= steps["a"].FinishedAt);
        Assert.True(steps["c"].StartedAt >= steps["a"].FinishedAt);
        Assert.True(steps["d"].StartedAt >= steps["b"].FinishedAt);
        Assert.True(steps["d"].StartedAt >= steps["c"].FinishedAt);
        var events = await h.EventsAsync(run.Id);
        Assert.All(["a", "b", "c", "d"], s => Assert.Single(events, e => e.Step == s && e.State == "succeeded"));
    }

    [Fact]
    public async Task A_second_identical_run_is_all_cached_and_a_changed_parameter_reruns_only_what_it_reaches()
    {
        await using var h = new PipelineHarness();
        await h.ApplyAsync(Diamond);
        var first = await h.FinishAsync((await h.StartAsync("diamond")).Id);
        Assert.Equal(PipelineRunState.Succeeded, first.State);

        var second = await h.FinishAsync((await h.StartAsync("diamond")).Id);
        Assert.Equal(PipelineRunState.Succeeded, second.State);
        var cached = await h.StepsAsync(second.Id);
        Assert.All(cached.Values, s => Assert.Equal((StepRunState.Cached, (long?)first.Id, 0), (s.State, s.CachedFrom, s.Attempt)));
        Assert.Equal((await h.StepsAsync(first.Id))["d"].Outputs, cached["d"].Outputs);

        // Before the run, the plan says what will run and why.
        var plan = (await h.Runner.PlanAsync("diamond", new Dictionary<string, string> { ["x"] = "2" }, CancellationToken.None)).ToDictionary(p => p.Step);
        Assert.Equal(("cached", "run", "cached", "run"), (plan["a"].Action, plan["b"].Action, plan["c"].Action, plan["d"].Action));
        Assert.StartsWith($"changed since run {first.Id}: params", plan["b"].Reason, StringComparison.Ordinal);
        Assert.Contains(plan["b"].Changes, c => c.StartsWith("params:", StringComparison.Ordinal) && c.Contains("\"1\"", StringComparison.Ordinal) && c.Contains("\"2\"", StringComparison.Ordinal));
        Assert.Contains("upstream step 'b' will run", plan["d"].Reason, StringComparison.Ordinal);

        var third = await h.FinishAsync((await h.StartAsync("diamond", new Dictionary<string, string> { ["x"] = "2" })).Id);
        var steps = await h.StepsAsync(third.Id);
        Assert.Equal(
            (StepRunState.Cached, StepRunState.Succeeded, StepRunState.Cached, StepRunState.Succeeded),
            (steps["a"].State, steps["b"].State, steps["c"].State, steps["d"].State));
        Assert.Equal("2", steps["b"].Outputs["value"]);

        var after = await h.Runner.PlanAsync("diamond", new Dictionary<string, string> { ["x"] = "2" }, CancellationToken.None);
        Assert.All(after, p => Assert.Equal("cached", p.Action));
        Assert.Equal(third.Id, after.Single(p => p.Step == "b").CachedFrom);
    }

    [Fact]
    public async Task A_failing_step_is_retried_then_fails_the_run_and_its_downstream_is_skipped()
    {
        await using var h = new PipelineHarness();
        await h.ApplyAsync("""
            name: flaky
            steps:
              - {name: a, type: noop}
              - {name: b, type: noop, params: {fail: boom}, retries: 1, inputs: {in: '${steps.a.value}'}}
              - {name: c, type: noop, inputs: {in: '${steps.b.value}'}}
              - {name: d, type: noop, after: c}
            """);
        var run = await h.FinishAsync((await h.StartAsync("flaky")).Id);

        Assert.Equal(PipelineRunState.Failed, run.State);
        Assert.Equal("step(s) b failed", run.Error);
        var steps = await h.StepsAsync(run.Id);
        Assert.Equal((StepRunState.Failed, 2), (steps["b"].State, steps["b"].Attempt));
        Assert.Contains("boom", steps["b"].Error, StringComparison.Ordinal);
        Assert.Equal((StepRunState.Skipped, StepRunState.Skipped), (steps["c"].State, steps["d"].State));
        Assert.Contains("upstream step 'b' failed", steps["c"].Error, StringComparison.Ordinal);
        Assert.Equal(StepRunState.Succeeded, steps["a"].State);

        var events = await h.EventsAsync(run.Id);
        Assert.Equal(2, events.Count(e => e.Step == "b" && e.State == "running"));
        Assert.Single(events, e => e.Step == "b" && e.State == "failed");
        var log = await h.Store.ListLogAsync(run.Id, "b", 0, 100);
        Assert.Contains(log, l => l.Attempt == 1 && l.Line.Contains("try 1 failed", StringComparison.Ordinal) && l.Line.Contains("boom", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Attempt == 2 && l.Line.Contains("try 2 failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_a_running_run_cancels_its_steps_and_their_jobs()
    {
        var probe = new ProbeStep();
        await using var h = new PipelineHarness(extraSteps: [probe]);
        await h.ApplyAsync("name: slow\nsteps:\n  - {name: a, type: probe}\n  - {name: b, type: probe, after: a}\n");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = async (c, token) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        };
        var run = await h.StartAsync("slow");
        var lease = (await h.Queue.LeaseAsync("w", [Keel.Application.Pipelines.PipelineOptions.StepJobKind], TimeSpan.FromMinutes(5)))!;
        using var workerStop = new CancellationTokenSource();
        var executing = h.RunLeasedAsync(lease, cancellationToken: workerStop.Token);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(StepRunState.Running, (await h.StepsAsync(run.Id))["a"].State);

        var cancelled = await h.Runner.CancelAsync(run.Id, "enough", CancellationToken.None);
        Assert.Equal((PipelineRunState.Cancelled, "enough"), (cancelled.State, cancelled.Error));
        Assert.Equal(JobState.Cancelled, (await h.Queue.GetJobAsync(lease.Job.Id))!.State);

        // The worker's heartbeat would now be refused and cancel the try; here the test does it.
        await workerStop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => executing);
        var steps = await h.StepsAsync(run.Id);
        Assert.Equal((StepRunState.Cancelled, StepRunState.Cancelled), (steps["a"].State, steps["b"].State));
        Assert.Equal(PipelineRunState.Cancelled, (await h.RunAsync(run.Id)).State);
        await PipelineHarness.RefusedAsync(() => h.Runner.CancelAsync(run.Id, null, CancellationToken.None), ErrorCode.ResourceConflict);
        Assert.Null(await h.Queue.LeaseAsync("w", [Keel.Application.Pipelines.PipelineOptions.StepJobKind], TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task With_a_limit_of_one_a_second_run_waits_queued_and_starts_when_the_first_ends()
    {
        await using var h = new PipelineHarness();
        await h.ApplyAsync("name: single\nconcurrency: 1\nsteps:\n  - {name: a, type: noop, cache: false}\n  - {name: b, type: noop, after: a, cache: false}\n");
        var first = await h.StartAsync("single");
        var second = await h.StartAsync("single");
        Assert.Equal((PipelineRunState.Running, PipelineRunState.Queued), (first.State, second.State));

        // Only the first run's step is ready; the second has no job until it starts.
        var jobs = await h.Queue.ListJobsAsync(JobState.Queued, null, 0, 100);
        Assert.All(jobs, j => Assert.Contains($"\"run_id\":{first.Id}", j.Payload, StringComparison.Ordinal));

        await h.PumpAsync(async () => (await h.RunAsync(first.Id)).State == PipelineRunState.Succeeded);
        var next = await h.RunAsync(second.Id);
        Assert.Equal(PipelineRunState.Running, next.State);
        Assert.True(next.StartedAt >= (await h.RunAsync(first.Id)).FinishedAt);
        Assert.Equal(PipelineRunState.Succeeded, (await h.FinishAsync(second.Id)).State);
    }

    [Fact]
    public async Task A_dedupe_key_returns_the_live_run_and_an_idempotency_key_returns_the_same_run()
    {
        await using var h = new PipelineHarness();
        await h.ApplyAsync("name: retrain\nconcurrency: 5\nparams: {model: null}\ndedupe_key: 'retrain-${params.model}'\nsteps:\n  - {name: a, type: noop}\n");
        var m1 = await h.Runner.StartAsync("retrain", new Dictionary<string, string> { ["model"] = "m1" }, PipelineTrigger.Manual(), null, null, CancellationToken.None);
        var again = await h.Runner.StartAsync("retrain", new Dictionary<string, string> { ["model"] = "m1" }, PipelineTrigger.Manual(), null, null, CancellationToken.None);
        var m2 = await h.Runner.StartAsync("retrain", new Dictionary<string, string> { ["model"] = "m2" }, PipelineTrigger.Manual(), null, null, CancellationToken.None);
        Assert.True(m1.Created);
        Assert.Equal((false, m1.Run.Id), (again.Created, again.Run.Id));
        Assert.True(m2.Created);
        Assert.Equal("retrain-m1", m1.Run.DedupeKey);

        // Once the run ended the key is free again.
        await h.FinishAsync(m1.Run.Id);
        var later = await h.Runner.StartAsync("retrain", new Dictionary<string, string> { ["model"] = "m1" }, PipelineTrigger.Manual(), null, null, CancellationToken.None);
        Assert.True(later.Created);

        var keyed = await h.Service.StartPipelineRunAsync("retrain", new Dictionary<string, string> { ["model"] = "m3" }, "request-7");
        await h.FinishAsync(keyed.Run!.RunId);
        var retried = await h.Service.StartPipelineRunAsync("retrain", new Dictionary<string, string> { ["model"] = "m3" }, "request-7");
        Assert.True(keyed.Created);
        Assert.Equal((false, keyed.Run.RunId), (retried.Created, retried.Run!.RunId));
    }

    [Fact]
    public async Task Each_step_is_an_mlflow_run_nested_under_the_pipelines_run_and_logs_are_kept_per_step_in_order()
    {
        await using var h = new PipelineHarness();
        await h.ApplyAsync(Diamond);
        var run = await h.FinishAsync((await h.StartAsync("diamond")).Id);
        Assert.NotNull(run.MlflowRunId);
        var experiment = await h.Tracking.GetExperimentByNameAsync("pipelines/diamond");
        var parent = await h.Tracking.GetRunAsync(run.MlflowRunId);
        Assert.Equal((experiment.ExperimentId, "FINISHED"), (parent.Info.ExperimentId, parent.Info.Status.ToString().ToUpperInvariant()));
        Assert.Contains(parent.Data.Params, p => p.Key == "x" && p.Value == "1");
        foreach (var step in (await h.StepsAsync(run.Id)).Values)
        {
            var child = await h.Tracking.GetRunAsync(step.MlflowRunId);
            Assert.Equal(experiment.ExperimentId, child.Info.ExperimentId);
            Assert.Contains(child.Data.Tags, t => t.Key == "mlflow.parentRunId" && t.Value == run.MlflowRunId);
            Assert.Contains(child.Data.Tags, t => t.Key == "keel.pipeline.step" && t.Value == step.Step);
            Assert.Contains(child.Data.Tags, t => t.Key == "keel.output.value" && t.Value == step.Outputs["value"]);

            var log = await h.Store.ListLogAsync(run.Id, step.Step, 0, 100);
            Assert.All(log, l => Assert.Equal(step.Step, l.Step));
            Assert.Equal([$"try 1: running noop", "try 1 succeeded"], log.Select(l => l.Line));
            Assert.True(log[0].Seq < log[1].Seq);
        }

        var all = await h.Store.ListLogAsync(run.Id, null, 0, 100);
        Assert.Equal(8, all.Count);
        Assert.Equal(all.OrderBy(l => l.Seq).Select(l => l.Seq), all.Select(l => l.Seq));
        var page = await h.Service.GetPipelineLogAsync(run.Id, "d", all[^3].Seq);
        Assert.Equal(["try 1: running noop", "try 1 succeeded"], page.Lines.Select(l => l.Line));
    }

    [Fact]
    public async Task A_try_that_ends_after_its_run_was_cancelled_leaves_no_cache_entry_for_later_runs()
    {
        var probe = new ProbeStep(cacheable: true);
        await using var h = new PipelineHarness(extraSteps: [probe]);
        await h.ApplyAsync("name: late\nsteps:\n  - {name: a, type: probe}\n");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = async (c, _) =>
        {
            if (c.RunId == 1)
            {
                // Ignores cancellation, as a step stuck in a native call would, and ends after the run was cancelled.
                entered.TrySetResult();
                await release.Task;
                return "from-cancelled-run";
            }

            return "fresh";
        };

        var first = await h.StartAsync("late");
        var lease = (await h.Queue.LeaseAsync("w", [Keel.Application.Pipelines.PipelineOptions.StepJobKind], TimeSpan.FromMinutes(5)))!;
        var executing = h.RunLeasedAsync(lease);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await h.Runner.CancelAsync(first.Id, "stop", CancellationToken.None);
        release.SetResult();
        await executing;
        var cancelledStep = (await h.StepsAsync(first.Id))["a"];
        Assert.Equal(StepRunState.Cancelled, cancelledStep.State);
        Assert.Empty(cancelledStep.Outputs);

        // The refused outcome must not be served from the cache as if the cancelled run had produced it.
        var second = await h.FinishAsync((await h.StartAsync("late")).Id);
        var step = (await h.StepsAsync(second.Id))["a"];
        Assert.Equal((StepRunState.Succeeded, "fresh", (long?)null), (step.State, step.Outputs["value"], step.CachedFrom));
    }

    [Fact]
    public async Task A_try_longer_than_its_timeout_fails_the_step_naming_the_timeout()
    {
        var probe = new ProbeStep();
        await using var h = new PipelineHarness(extraSteps: [probe]);
        await h.ApplyAsync("name: patient\nsteps:\n  - {name: a, type: probe, timeout_seconds: 1}\n");
        probe.Behaviour = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        };
        var run = await h.FinishAsync((await h.StartAsync("patient")).Id);
        Assert.Equal(PipelineRunState.Failed, run.State);
        var step = (await h.StepsAsync(run.Id))["a"];
        Assert.Equal((StepRunState.Failed, "timed out after 1 s"), (step.State, step.Error));
    }
}
