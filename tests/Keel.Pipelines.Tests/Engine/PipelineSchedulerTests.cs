using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Keel.Application.Pipelines.Scheduling;
using Keel.Core.Coordination;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Pipelines.Tests.Engine;

/// <summary>The scheduler's triggers on SQLite with a fake clock: cron, datasets, alerts, the registry, debounce, fencing and reconciling.</summary>
public sealed class PipelineSchedulerTests
{
    private static FakeTimeProvider Clock(string utc) => new(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture));

    private static async Task<IReadOnlyList<PipelineRun>> FireAsync(PipelineHarness h, LeaseFence? fence = null) =>
        await h.Scheduler.FireAsync(fence, CancellationToken.None);

    private static async Task<IReadOnlyList<PipelineRun>> RunsAsync(PipelineHarness h, string pipeline) =>
        await h.Store.ListRunsAsync(new PipelineRunQuery(pipeline, null, null, 1000));

    private static Task AddVersionAsync(PipelineHarness h, string dataset, string content) =>
        h.DatasetStore.AddVersionAsync(
            new NewDatasetVersion(dataset, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))), "csv", 1, 10), "tester");

    [Fact]
    public async Task A_cron_trigger_fires_once_per_due_time_in_its_time_zone_and_not_for_the_past_on_first_sight()
    {
        // 12:00 UTC: today's 09:00 in Paris (08:00 UTC) has passed; a new trigger must not fire for it.
        var time = Clock("2026-12-03T12:00:00Z");
        await using var h = new PipelineHarness(time);
        await h.ApplyAsync("""
            name: nightly
            concurrency: 10
            params: {when: ''}
            steps:
              - {name: a, type: noop, params: {value: '${params.when}'}}
            triggers:
              - {name: morning, schedule: '0 9 * * *', timezone: Europe/Paris, params: {when: '${event.scheduled_time_local}'}}
            """);
        Assert.Empty(await FireAsync(h));

        time.SetUtcNow(DateTimeOffset.Parse("2026-12-04T07:59:59Z", CultureInfo.InvariantCulture));
        Assert.Empty(await FireAsync(h));

        time.SetUtcNow(DateTimeOffset.Parse("2026-12-04T08:00:05Z", CultureInfo.InvariantCulture));
        var fired = Assert.Single(await FireAsync(h));
        Assert.Equal("2026-12-04T09:00:00+01:00", fired.Parameters["when"]);
        Assert.Equal(("schedule", "morning"), (fired.Trigger.Kind, fired.Trigger.Name));
        Assert.Empty(await FireAsync(h));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(await FireAsync(h));
        Assert.Single(await RunsAsync(h, "nightly"));
        Assert.Equal(1, Assert.Single(await h.Store.GetTriggerStatesAsync("nightly")).Fired);
    }

    [Fact]
    public async Task After_a_gap_catch_up_skip_fires_none_latest_fires_the_last_and_all_fires_each_missed_time()
    {
        var time = Clock("2026-12-03T12:00:00Z");
        await using var h = new PipelineHarness(time);
        await h.ApplyAsync("""
            name: gaps
            concurrency: 10
            params: {when: '', missed: ''}
            steps:
              - {name: a, type: noop, params: {value: '${params.when}'}}
            triggers:
              - {name: skip, schedule: '0 6 * * *', catch_up: skip, params: {when: '${event.scheduled_time}', missed: '${event.missed}'}}
              - {name: latest, schedule: '0 6 * * *', catch_up: latest, params: {when: '${event.scheduled_time}', missed: '${event.missed}'}}
              - {name: all, schedule: '0 6 * * *', catch_up: all, params: {when: '${event.scheduled_time}', missed: '${event.missed}'}}
            """);
        Assert.Empty(await FireAsync(h));

        // No scheduler ran for three days: 06:00 on the 4th, 5th and 6th were missed.
        time.SetUtcNow(DateTimeOffset.Parse("2026-12-06T12:00:00Z", CultureInfo.InvariantCulture));
        var fired = await FireAsync(h);
        Assert.DoesNotContain(fired, r => r.Trigger.Name == "skip");
        var latest = Assert.Single(fired, r => r.Trigger.Name == "latest");
        Assert.Equal(("2026-12-06T06:00:00.0000000+00:00", "3"), (latest.Parameters["when"], latest.Parameters["missed"]));
        Assert.Equal(
            ["2026-12-04T06:00:00.0000000+00:00", "2026-12-05T06:00:00.0000000+00:00", "2026-12-06T06:00:00.0000000+00:00"],
            fired.Where(r => r.Trigger.Name == "all").Select(r => r.Parameters["when"]).Order(StringComparer.Ordinal));
        Assert.Empty(await FireAsync(h));

        // Back on time: each trigger fires for the next due time.
        time.SetUtcNow(DateTimeOffset.Parse("2026-12-07T06:00:01Z", CultureInfo.InvariantCulture));
        Assert.Equal(["all", "latest", "skip"], (await FireAsync(h)).Select(r => r.Trigger.Name!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dataset_trigger_fires_for_each_new_version_with_its_uri_and_not_for_versions_that_existed()
    {
        var time = Clock("2026-12-03T12:00:00Z");
        await using var h = new PipelineHarness(time);
        await AddVersionAsync(h, "events", "v1");
        await h.ApplyAsync("""
            name: fresh
            concurrency: 10
            params: {data: null}
            steps:
              - {name: a, type: noop, params: {value: '${params.data}'}}
            triggers:
              - {name: new-data, dataset: events, params: {data: '${event.uri}'}}
            """);
        Assert.Empty(await FireAsync(h));

        await AddVersionAsync(h, "events", "v2");
        await AddVersionAsync(h, "other", "o1");
        var fired = Assert.Single(await FireAsync(h));
        Assert.Equal("datasets:/events/2", fired.Parameters["data"]);
        Assert.Contains("\"version\":\"2\"", fired.Trigger.Detail, StringComparison.Ordinal);
        Assert.Empty(await FireAsync(h));

        await AddVersionAsync(h, "events", "v3");
        await AddVersionAsync(h, "events", "v4");
        Assert.Equal(["datasets:/events/3", "datasets:/events/4"], (await FireAsync(h)).Select(r => r.Parameters["data"]).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await RunsAsync(h, "fresh")).Count);

        // The run it started runs with that version.
        var run = (await RunsAsync(h, "fresh")).OrderBy(r => r.Id).First();
        Assert.Equal("datasets:/events/2", (await h.StepsAsync((await h.FinishAsync(run.Id)).Id))["a"].Outputs["value"]);
    }

    [Fact]
    public async Task A_burst_of_versions_within_the_debounce_starts_one_run_with_the_last()
    {
        var time = Clock("2026-12-03T12:00:00Z");
        await using var h = new PipelineHarness(time);
        await h.ApplyAsync("""
            name: calm
            params: {data: null}
            steps:
              - {name: a, type: noop, params: {value: '${params.data}'}}
            triggers:
              - {name: new-data, dataset: events, debounce_seconds: 60, params: {data: '${event.uri}'}}
            """);
        Assert.Empty(await FireAsync(h));

        foreach (var content in new[] { "v1", "v2", "v3" })
        {
            await AddVersionAsync(h, "events", content);
            Assert.Empty(await FireAsync(h));
            time.Advance(TimeSpan.FromSeconds(20));
        }

        // The last version came 20 s ago, then 59 s ago: still waiting for 60 s of quiet.
        Assert.Empty(await FireAsync(h));
        time.Advance(TimeSpan.FromSeconds(39));
        Assert.Empty(await FireAsync(h));
        time.Advance(TimeSpan.FromSeconds(2));
        var fired = Assert.Single(await FireAsync(h));
        Assert.Equal("datasets:/events/3", fired.Parameters["data"]);
        Assert.Empty(await FireAsync(h));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await FireAsync(h));
        Assert.Single(await RunsAsync(h, "calm"));
    }

    [Fact]
    public async Task An_alert_trigger_fires_when_its_rule_or_endpoint_reaches_firing_and_not_for_older_alerts()
    {
        var time = Clock("2026-12-03T12:00:00Z");
        await using var h = new PipelineHarness(time);
        foreach (var (rule, endpoint) in new[] { ("errors", "churn"), ("latency", "churn"), ("disk", "other") })
        {
            await h.Alerts.PutRuleAsync(new NewAlertRule(rule, endpoint, "error_rate", "5m", 0.1, 0.5, AlertDirection.Above, 10, 2, [], true, null), null, null);
        }

        var disk = await FiringAsync(h, "disk", 0);
        await h.ApplyAsync("""
            name: on-errors
            concurrency: 10
            params: {rule: ''}
            steps: [{name: a, type: noop, params: {value: '${params.rule}'}}]
            triggers: [{name: alarm, alert: errors, params: {rule: '${event.rule}'}}]
            """);
        await h.ApplyAsync("""
            name: on-other
            concurrency: 10
            params: {rule: ''}
            steps: [{name: a, type: noop, params: {value: '${params.rule}'}}]
            triggers: [{name: alarm, alert: '*', endpoint: other, params: {rule: '${event.rule}'}}]
            """);
        Assert.Empty(await FireAsync(h));

        await FiringAsync(h, "errors", 1);
        await FiringAsync(h, "latency", 1);
        var fired = Assert.Single(await FireAsync(h));
        Assert.Equal(("on-errors", "errors"), (fired.Pipeline, fired.Parameters["rule"]));
        Assert.Empty(await FireAsync(h));

        // The other endpoint's rule resolves and fires again: only then does its pipeline start.
        await h.Alerts.ApplyTransitionAsync(new AlertTransition("disk", disk.AlertId, AlertState.Firing, AlertSeverity.Warning, AlertState.Resolved, AlertSeverity.Warning, 0.01, 0.1, Start(3), Start(4), "ok"), null);
        await FiringAsync(h, "disk", 5);
        fired = Assert.Single(await FireAsync(h));
        Assert.Equal(("on-other", "disk"), (fired.Pipeline, fired.Parameters["rule"]));
        Assert.Single(await RunsAsync(h, "on-errors"));
    }

    private static long Start(int window) => DateTimeOffset.Parse("2026-12-03T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() + (window * 300_000L);

    /// <summary>Opens an alert for the rule (pending) and moves it to firing; returns the firing event.</summary>
    private static async Task<AlertEvent> FiringAsync(PipelineHarness h, string rule, int window)
    {
        var pending = (await h.Alerts.ApplyTransitionAsync(new AlertTransition(rule, null, null, null, AlertState.Pending, AlertSeverity.Warning, 0.2, 0.1, Start(window), Start(window + 1), "rising"), null))!;
        return (await h.Alerts.ApplyTransitionAsync(
            new AlertTransition(rule, pending.AlertId, AlertState.Pending, AlertSeverity.Warning, AlertState.Firing, AlertSeverity.Warning, 0.3, 0.1, Start(window + 1), Start(window + 2), "high"), null))!;
    }

    [Fact]
    public async Task Registry_triggers_fire_on_a_new_version_and_on_the_named_alias_only()
    {
        var time = Clock("2026-12-03T12:00:00Z");
        await using var h = new PipelineHarness(time);
        await h.Registry.CreateRegisteredModelAsync("churn", null, null, "tester");
        await h.Registry.CreateModelVersionAsync("churn", "s3://b/model-0", null, null, null, null, "tester");
        await h.ApplyAsync("""
            name: on-version
            concurrency: 10
            params: {model: ''}
            steps: [{name: a, type: noop, params: {value: '${params.model}'}}]
            triggers: [{name: new-version, registry: churn, params: {model: '${event.uri}'}}]
            """);
        await h.ApplyAsync("""
            name: on-champion
            concurrency: 10
            params: {model: ''}
            steps: [{name: a, type: noop, params: {value: '${params.model}'}}]
            triggers: [{name: promoted, registry: churn, event: alias_set, alias: champion, params: {model: '${event.uri}'}}]
            """);
        Assert.Empty(await FireAsync(h));

        await h.Registry.CreateModelVersionAsync("churn", "s3://b/model-1", null, null, null, null, "tester");
        await h.Registry.CreateModelVersionAsync("churn", "s3://b/model-2", null, null, null, null, "tester");
        await h.Registry.SetAliasAsync("churn", "staging", "2", "tester");
        await h.Registry.SetAliasAsync("churn", "champion", "3", "tester");
        var fired = await FireAsync(h);
        Assert.Equal(["models:/churn/2", "models:/churn/3"], fired.Where(r => r.Pipeline == "on-version").Select(r => r.Parameters["model"]).Order(StringComparer.Ordinal));
        var promoted = Assert.Single(fired, r => r.Pipeline == "on-champion");
        Assert.Equal("models:/churn/3", promoted.Parameters["model"]);
        Assert.Empty(await FireAsync(h));
    }

    [Fact]
    public async Task A_deposed_leaders_cursor_save_is_refused_and_the_new_leader_repeating_the_pass_starts_nothing_twice()
    {
        var time = Clock("2026-12-03T12:00:00Z");
        await using var h = new PipelineHarness(time);
        await h.ApplyAsync("""
            name: fenced
            concurrency: 10
            params: {data: ''}
            steps: [{name: a, type: noop, params: {value: '${params.data}'}}]
            triggers: [{name: new-data, dataset: events, params: {data: '${event.uri}'}}]
            """);

        // Replica 1 leads; its store loses the lease to replica 2 just before the cursor is saved.
        LeaseFence? fence2 = null;
        var losing = false;
        var store1 = InterceptingStore.Wrap(h.Store, async () =>
        {
            if (losing)
            {
                time.Advance(TimeSpan.FromSeconds(11));
                fence2 = await h.Leases.TryAcquireAsync("pipeline-scheduler", "replica-2", TimeSpan.FromSeconds(10));
            }
        });
        var scheduler1 = new PipelineScheduler(h.NewRunner(store1, h.Queue), h.DatasetStore, h.Alerts, h.RegistryStore, h.Queue, time);
        var fence1 = await h.LeaseAsync("replica-1", TimeSpan.FromSeconds(10));
        Assert.Empty(await scheduler1.FireAsync(fence1, CancellationToken.None));

        await AddVersionAsync(h, "events", "v1");
        losing = true;
        var stale = await Assert.ThrowsAsync<KeelException>(() => scheduler1.FireAsync(fence1, CancellationToken.None));
        Assert.Equal(ErrorCode.ResourceConflict, stale.Code);
        Assert.NotNull(fence2);
        Assert.True(fence2.Epoch > fence1.Epoch);
        Assert.Single(await RunsAsync(h, "fenced"));
        Assert.Equal("0", Assert.Single(await h.Store.GetTriggerStatesAsync("fenced")).Cursor);

        // Replica 2 re-reads from the saved cursor: the same event, the same run.
        Assert.Empty(await h.Scheduler.FireAsync(fence2, CancellationToken.None));
        Assert.Single(await RunsAsync(h, "fenced"));
        Assert.Equal("1", Assert.Single(await h.Store.GetTriggerStatesAsync("fenced")).Cursor);

        // The deposed leader can no longer start runs either.
        losing = false;
        await AddVersionAsync(h, "events", "v2");
        var refused = await Assert.ThrowsAsync<KeelException>(() => scheduler1.FireAsync(fence1, CancellationToken.None));
        Assert.Equal(ErrorCode.ResourceConflict, refused.Code);
        Assert.Single(await RunsAsync(h, "fenced"));
        Assert.Equal("datasets:/events/2", Assert.Single(await h.Scheduler.FireAsync(fence2, CancellationToken.None)).Parameters["data"]);
        Assert.Equal(2, (await RunsAsync(h, "fenced")).Count);
    }

    [Fact]
    public async Task Reconcile_queues_the_downstream_of_a_step_that_ended_without_advancing_its_run()
    {
        await using var h = new PipelineHarness();
        await h.ApplyAsync("name: stuck\nsteps:\n  - {name: a, type: noop, cache: false}\n  - {name: b, type: noop, cache: false, inputs: {in: '${steps.a.value}'}}\n");
        var run = await h.StartAsync("stuck");

        // A replica recorded 'a' and died before advancing the run.
        await h.Store.UpdateStepAsync(new StepUpdate(run.Id, "a", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1));
        await h.Store.UpdateStepAsync(new StepUpdate(run.Id, "a", StepRunState.Running, 1, StepRunState.Succeeded, Outputs: new Dictionary<string, string> { ["value"] = "by-hand" }));
        var before = await h.Queue.ListJobsAsync(null, null, 0, 100);
        Assert.DoesNotContain(before, j => j.Payload.Contains("\"step\":\"b\"", StringComparison.Ordinal));

        await h.Scheduler.ReconcileAsync(CancellationToken.None);
        var after = await h.Queue.ListJobsAsync(JobState.Queued, null, 0, 100);
        Assert.Contains(after, j => j.Payload.Contains("\"step\":\"b\"", StringComparison.Ordinal));

        var finished = await h.FinishAsync(run.Id);
        Assert.Equal(PipelineRunState.Succeeded, finished.State);
        var steps = await h.StepsAsync(run.Id);
        Assert.Equal(("by-hand", StepRunState.Succeeded), (steps["a"].Outputs["value"], steps["b"].State));
        Assert.Single(await h.EventsAsync(run.Id), e => e.Step == "b" && e.State == "succeeded");
    }

    [Fact]
    public async Task Reconcile_goes_on_past_a_run_this_process_cannot_load()
    {
        await using var h = new PipelineHarness();

        // A run of a stored version this process cannot parse (written through the store API, or by a
        // newer replica with a step type this one lacks), created before the run that needs reconciling.
        await h.Store.PutPipelineAsync("unreadable", "not: [a pipeline", "h0", null);
        await h.Store.CreateRunAsync(new NewPipelineRun("unreadable", 1, PipelineTrigger.Manual(), new Dictionary<string, string>(), ["x"]));
        await h.ApplyAsync("name: stuck2\nsteps:\n  - {name: a, type: noop, cache: false}\n  - {name: b, type: noop, cache: false, inputs: {in: '${steps.a.value}'}}\n");
        var run = await h.StartAsync("stuck2");
        await h.Store.UpdateStepAsync(new StepUpdate(run.Id, "a", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1));
        await h.Store.UpdateStepAsync(new StepUpdate(run.Id, "a", StepRunState.Running, 1, StepRunState.Succeeded, Outputs: new Dictionary<string, string> { ["value"] = "v" }));

        await h.Scheduler.ReconcileAsync(CancellationToken.None);

        var queued = await h.Queue.ListJobsAsync(JobState.Queued, null, 0, 100);
        Assert.Contains(queued, j => j.Payload.Contains($"\"run_id\":{run.Id},", StringComparison.Ordinal) && j.Payload.Contains("\"step\":\"b\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_fails_a_step_whose_job_died_before_any_try_started_so_the_run_ends()
    {
        await using var h = new PipelineHarness();
        await h.ApplyAsync("name: doomed\nsteps:\n  - {name: a, type: noop}\n  - {name: b, type: noop, after: a}\n");
        var run = await h.StartAsync("doomed");

        // Every worker that took the job failed it before the runner touched the step (e.g. workers
        // lacking a step type, or a store fault): the job is dead while its step is still queued.
        Job? job = null;
        while (job?.State != JobState.Dead)
        {
            var lease = (await h.Queue.LeaseAsync("broken", [Keel.Application.Pipelines.PipelineOptions.StepJobKind], TimeSpan.FromMinutes(1)))!;
            job = await h.Queue.FailAsync(lease.Job.Id, lease.Token, "INVALID_PARAMETER_VALUE: Step 'a' has unknown type 'noop'", TimeSpan.Zero);
        }

        Assert.Equal((StepRunState.Queued, (long?)null), ((await h.StepsAsync(run.Id))["a"].State, (await h.StepsAsync(run.Id))["a"].JobId));
        await h.Scheduler.ReconcileAsync(CancellationToken.None);

        var ended = await h.RunAsync(run.Id);
        Assert.Equal((PipelineRunState.Failed, "step(s) a failed"), (ended.State, ended.Error));
        var steps = await h.StepsAsync(run.Id);
        Assert.Equal((StepRunState.Failed, StepRunState.Skipped), (steps["a"].State, steps["b"].State));
        Assert.Contains("unknown type 'noop'", steps["a"].Error, StringComparison.Ordinal);
    }

    /// <summary>An <see cref="IPipelineStore"/> that runs a hook before each trigger-state save (to depose its leader at that moment).</summary>
    public class InterceptingStore : DispatchProxy
    {
        private IPipelineStore _inner = null!;
        private Func<Task> _beforeSave = null!;

        public static IPipelineStore Wrap(IPipelineStore inner, Func<Task> beforeSave)
        {
            var proxy = Create<IPipelineStore, InterceptingStore>();
            var self = (InterceptingStore)(object)proxy;
            self._inner = inner;
            self._beforeSave = beforeSave;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IPipelineStore.SaveTriggerStateAsync))
            {
                return SaveAsync(args!);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }

        private async Task SaveAsync(object?[] args)
        {
            await _beforeSave();
            await _inner.SaveTriggerStateAsync((TriggerState)args[0]!, (LeaseFence?)args[1], (CancellationToken)args[2]!);
        }
    }
}
