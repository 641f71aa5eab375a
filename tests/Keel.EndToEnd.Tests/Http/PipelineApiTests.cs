using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Pipelines.Hosting;
using Keel.Server;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// The pipelines API through the SDK against a real server whose in-process workers run the steps:
/// apply, run to the end, nested MLflow runs, logs, the event feed, the cache, plans, cancel of a
/// long command step (its process dies), dedupe, run listing and the step types.
/// </summary>
public sealed class PipelineApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly InProcessServers _servers = new();
    private KeelClient _client = null!;

    public Task InitializeAsync()
    {
        // A short scheduler interval so reconcile passes come often; the steps run on the in-process workers.
        (_client, _) = _servers.Start(new KeelServerOptions(Port: 0) { Pipelines = new PipelineHostOptions { SchedulerInterval = TimeSpan.FromMilliseconds(200) } });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _servers.DisposeAsync();

    /// <summary>
    /// A diamond of noop steps: a feeds b, c waits for a, d takes b and c. The parameter's default is
    /// the pipeline's name, so no two pipelines share cache keys (the cache is content-addressed across pipelines).
    /// </summary>
    internal static string Diamond(string name) => $$"""
        name: {{name}}
        params:
          v: "{{name}}"
        steps:
          - name: a
            type: noop
            params: {value: "${params.v}"}
          - name: b
            type: noop
            inputs: {x: "${steps.a.value}"}
          - name: c
            type: noop
            params: {value: "${params.v}-c"}
            after: [a]
          - name: d
            type: noop
            inputs: {x: "${steps.b.value}", y: "${steps.c.value}"}
        """;

    private static string Sleeper(string name, string pidFile) => $$"""
        name: {{name}}
        params:
          model: m
        concurrency: 1
        dedupe_key: "retrain-${params.model}"
        steps:
          - name: wait
            type: command
            params:
              command: ["/bin/sh", "-c", "echo $$ > {{pidFile}}; echo started; exec sleep 30"]
            cache: false
        """;

    [Fact]
    public async Task A_noop_dag_runs_to_the_end_with_nested_mlflow_runs_logs_events_and_a_cached_second_run()
    {
        var applied = await _client.ApplyPipelineAsync(Diamond("e2e-diamond"));
        Assert.True(applied.Changed);
        Assert.Equal(1, applied.Pipeline!.Version);
        Assert.Equal(["a", "b", "c", "d"], applied.Pipeline.Steps.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.False((await _client.ApplyPipelineAsync(Diamond("e2e-diamond"))).Changed);

        var started = await _client.StartPipelineRunAsync("e2e-diamond");
        Assert.True(started.Created);
        var first = await WaitEndedAsync(started.Run!.RunId);
        Assert.Equal("succeeded", first.Run!.State);
        Assert.All(first.Steps, s => Assert.Equal("succeeded", s.State));
        Assert.Equal("e2e-diamond", first.Steps.Single(s => s.Step == "a").Outputs["value"]);

        // Each step is an MLflow run nested under the pipeline run's, in experiment pipelines/NAME.
        Assert.False(string.IsNullOrEmpty(first.Run.MlflowRunId));
        using var http = new HttpClient { BaseAddress = _client.TrackingUri };
        var mlflow = new MlflowApi(http);
        var experiment = await mlflow.GetOkAsync("experiments/get-by-name?experiment_name=" + Uri.EscapeDataString("pipelines/e2e-diamond"));
        var experimentId = (string)experiment["experiment"]!["experiment_id"]!;
        var found = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { experimentId }, max_results = 100 });
        var runs = found["runs"]!.AsArray().ToDictionary(r => (string)r!["info"]!["run_id"]!, r => r!);
        Assert.Contains(first.Run.MlflowRunId!, runs.Keys);
        foreach (var step in first.Steps)
        {
            Assert.False(string.IsNullOrEmpty(step.MlflowRunId), $"step {step.Step} has no MLflow run");
            var tags = runs[step.MlflowRunId!]["data"]!["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string?)t!["value"]);
            Assert.Equal(first.Run.MlflowRunId, tags["mlflow.parentRunId"]);
            Assert.Equal("FINISHED", (string?)runs[step.MlflowRunId!]["info"]!["status"]);
        }

        // The event feed of the run: positions increase, the run goes queued → running → succeeded,
        // and each step starts running before it succeeds.
        var events = await _client.GetPipelineEventsAsync(0, first.Run.RunId, 1000);
        Assert.NotEmpty(events.Events);
        Assert.True(events.Events.Zip(events.Events.Skip(1)).All(p => p.First.Seq < p.Second.Seq), "event positions do not increase");
        Assert.Equal(events.Events[^1].Seq, events.NextAfter);
        var runStates = events.Events.Where(e => e.Step is null).Select(e => e.State).ToList();
        Assert.Equal("succeeded", runStates[^1]);
        Assert.True(runStates.IndexOf("running") < runStates.IndexOf("succeeded"), string.Join(", ", runStates));
        foreach (var step in new[] { "a", "b", "c", "d" })
        {
            var states = events.Events.Where(e => e.Step == step).Select(e => e.State).ToList();
            Assert.True(states.IndexOf("running") >= 0 && states.IndexOf("running") < states.IndexOf("succeeded"), $"{step}: {string.Join(", ", states)}");
        }

        // d ran after both of its upstream steps ended.
        var position = events.Events.Where(e => e.State == "succeeded" && e.Step is not null).ToDictionary(e => e.Step!, e => e.Seq);
        var dStarted = events.Events.First(e => e.Step == "d" && e.State == "running").Seq;
        Assert.True(position["b"] < dStarted && position["c"] < dStarted);
        Assert.Empty((await _client.GetPipelineEventsAsync(events.NextAfter, first.Run.RunId)).Events);

        // Logs read back in order and page with next_after.
        var log = await _client.GetPipelineLogAsync(first.Run.RunId);
        Assert.True(log.Lines.Zip(log.Lines.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.All(log.Lines, l => Assert.Contains(l.Step, new[] { "a", "b", "c", "d" }));
        Assert.Empty((await _client.GetPipelineLogAsync(first.Run.RunId, after: log.NextAfter)).Lines);
        Assert.All((await _client.GetPipelineLogAsync(first.Run.RunId, step: "b")).Lines, l => Assert.Equal("b", l.Step));

        // Nothing changed, so the plan takes every step from the cache and a second run does so.
        var plan = await _client.PlanPipelineAsync("e2e-diamond");
        Assert.All(plan, p => Assert.Equal("cached", p.Action));
        Assert.All(plan, p => Assert.Equal(first.Run.RunId, p.CachedFrom));
        var second = await WaitEndedAsync((await _client.StartPipelineRunAsync("e2e-diamond")).Run!.RunId);
        Assert.Equal("succeeded", second.Run!.State);
        Assert.All(second.Steps, s => Assert.Equal("cached", s.State));
        Assert.All(second.Steps, s => Assert.Equal(first.Run.RunId, s.CachedFrom));

        // A new parameter value: a runs again because its parameter changed, the rest because a runs.
        var changed = await _client.PlanPipelineAsync("e2e-diamond", new Dictionary<string, string> { ["v"] = "2" });
        var a = changed.Single(p => p.Step == "a");
        Assert.Equal("run", a.Action);
        Assert.Contains($"changed since run {first.Run.RunId}", a.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(a.Changes);
        Assert.Equal("run", changed.Single(p => p.Step == "b").Action);
        Assert.Contains("'a' will run", changed.Single(p => p.Step == "b").Reason, StringComparison.Ordinal);
        Assert.Equal("run", changed.Single(p => p.Step == "c").Action);
        Assert.All(changed, p => Assert.Null(p.CachedFrom));
    }

    [Fact]
    public async Task A_failing_step_fails_the_run_and_skips_what_depends_on_it()
    {
        await _client.ApplyPipelineAsync("""
            name: e2e-failing
            steps:
              - name: a
                type: noop
                params: {fail: "deliberate failure"}
              - name: b
                type: noop
                after: [a]
            """);
        var ended = await WaitEndedAsync((await _client.StartPipelineRunAsync("e2e-failing")).Run!.RunId);

        Assert.Equal("failed", ended.Run!.State);
        var a = ended.Steps.Single(s => s.Step == "a");
        Assert.Equal("failed", a.State);
        Assert.Contains("deliberate failure", a.Error, StringComparison.Ordinal);
        Assert.Equal("skipped", ended.Steps.Single(s => s.Step == "b").State);
        var failed = await _client.ListPipelineRunsAsync("e2e-failing", "failed");
        Assert.Equal([ended.Run.RunId], failed.Select(r => r.RunId));

        // A finished run cannot be cancelled: 409 naming the run.
        var e = await Assert.ThrowsAsync<KeelException>(() => _client.CancelPipelineRunAsync(ended.Run.RunId));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        Assert.Contains($"Pipeline run {ended.Run.RunId} already ended", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_waiting_on_a_long_command_is_deduped_then_cancelled_quickly_and_its_process_is_gone()
    {
        var dir = TempDirs.Create("keel-e2e-pipe");
        try
        {
            var pidFile = Path.Combine(dir, "pid");
            await _client.ApplyPipelineAsync(Sleeper("e2e-sleeper", pidFile));
            var started = await _client.StartPipelineRunAsync("e2e-sleeper");
            Assert.True(started.Created);
            var runId = started.Run!.RunId;
            Assert.Equal("retrain-m", started.Run.DedupeKey);

            // Concurrency 1 with a dedupe key in use: the second start returns the running run.
            var again = await _client.StartPipelineRunAsync("e2e-sleeper");
            Assert.False(again.Created);
            Assert.Equal(runId, again.Run!.RunId);

            // The command has started: its shell wrote its pid (then became sleep) and logged a line.
            await Eventually.WaitUntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, Deadline, "the command to start");
            var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            Assert.True(Alive(pid), "the sleep process is not running");
            var running = await _client.GetPipelineRunAsync(runId);
            Assert.Equal("running", running.Run!.State);
            Assert.Equal("running", running.Steps.Single().State);
            Assert.Equal([runId], (await _client.ListPipelineRunsAsync("e2e-sleeper", "running")).Select(r => r.RunId));

            var cancelled = await _client.CancelPipelineRunAsync(runId, "not needed");
            Assert.Equal("cancelled", cancelled.State);
            Assert.Equal("not needed", cancelled.Error);

            // Well before the 30 s sleep would end, the process is gone and the step is cancelled.
            await Eventually.WaitUntilAsync(() => !Alive(pid), TimeSpan.FromSeconds(20), $"process {pid} to end");
            var after = await WaitForAsync(
                async () => await _client.GetPipelineRunAsync(runId) is { } r && r.Steps.All(s => s.State is "cancelled" or "failed") ? r : null, "the step to end");
            Assert.Equal("cancelled", after.Run!.State);
            Assert.Equal("cancelled", after.Steps.Single().State);

            // The step's log (written in batches, so read once the try has ended) has the command's output.
            var lines = await WaitForAsync(
                async () => (await _client.GetPipelineLogAsync(runId, "wait")).Lines is { } l && l.Any(x => x.Line == "started") ? l : null, "the step's log");
            Assert.All(lines, l => Assert.Equal(1, l.Attempt));

            // With the run over, the dedupe key is free again.
            var next = await _client.StartPipelineRunAsync("e2e-sleeper");
            Assert.True(next.Created);
            Assert.NotEqual(runId, next.Run!.RunId);
            await _client.CancelPipelineRunAsync(next.Run.RunId);
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_filtered_and_paged()
    {
        await _client.ApplyPipelineAsync(Diamond("e2e-list-a"));
        await _client.ApplyPipelineAsync(Diamond("e2e-list-b"));
        var ids = new List<long>();
        foreach (var name in new[] { "e2e-list-a", "e2e-list-b", "e2e-list-a" })
        {
            ids.Add((await WaitEndedAsync((await _client.StartPipelineRunAsync(name, new Dictionary<string, string> { ["v"] = name })).Run!.RunId)).Run!.RunId);
        }

        var ofA = await _client.ListPipelineRunsAsync("e2e-list-a");
        Assert.Equal([ids[2], ids[0]], ofA.Select(r => r.RunId));
        Assert.All(ofA, r => Assert.Equal("e2e-list-a", r.Pipeline));
        Assert.Equal([ids[2]], (await _client.ListPipelineRunsAsync("e2e-list-a", maxResults: 1)).Select(r => r.RunId));
        Assert.Equal([ids[0]], (await _client.ListPipelineRunsAsync("e2e-list-a", beforeId: ids[2])).Select(r => r.RunId));
        Assert.Empty(await _client.ListPipelineRunsAsync("e2e-list-a", "cancelled"));
        Assert.Equal("manual", ofA[0].TriggerKind);
        Assert.Equal("e2e-list-a", ofA[0].Params["v"]);

        var all = await _client.ListPipelineRunsAsync();
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.RunId > p.Second.RunId), "runs are not newest first");
        Assert.Superset(ids.ToHashSet(), all.Select(r => r.RunId).ToHashSet());

        var pipelines = await _client.ListPipelinesAsync();
        Assert.Contains(pipelines, p => p.Name == "e2e-list-a" && p.Steps.Count == 4);
        var shown = await _client.GetPipelineAsync("e2e-list-b");
        Assert.Equal(Diamond("e2e-list-b"), shown.Definition);
        Assert.Equal(1, (await _client.GetPipelineAsync("e2e-list-b", 1)).Version);
    }

    [Fact]
    public async Task Step_types_list_the_built_in_types_with_versions()
    {
        var types = await _client.ListStepTypesAsync();

        var names = types.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["noop", "validate", "profile", "train", "evaluate", "batch_predict", "drift_report", "command", "register", "deploy"], StringComparer.Ordinal), names);
        Assert.All(types, t => Assert.True(t.Version >= 1 && t.Summary.Length > 0, t.Name));
        Assert.False(types.Single(t => t.Name == "register").Cacheable);
        Assert.True(types.Single(t => t.Name == "noop").Cacheable);
    }

    [Fact]
    public async Task Invalid_definitions_are_refused_naming_the_step_and_unknown_names_are_404()
    {
        var cycle = await Assert.ThrowsAsync<KeelException>(() => _client.ApplyPipelineAsync("""
            name: e2e-cycle
            steps:
              - {name: a, type: noop, after: [b]}
              - {name: b, type: noop, after: [a]}
            """));
        Assert.Equal(ErrorCode.InvalidParameterValue, cycle.Code);
        Assert.Matches("Steps (a → b → a|b → a → b) form a cycle", cycle.Message);

        var unknown = await Assert.ThrowsAsync<KeelException>(() => _client.ApplyPipelineAsync("name: e2e-unknown\nsteps:\n  - {name: s1, type: teleport}\n"));
        Assert.Contains("Step 's1' has unknown type 'teleport'", unknown.Message, StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<KeelException>(() => _client.GetPipelineAsync("e2e-no-such-pipeline"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        e = await Assert.ThrowsAsync<KeelException>(() => _client.StartPipelineRunAsync("e2e-no-such-pipeline"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        e = await Assert.ThrowsAsync<KeelException>(() => _client.GetPipelineRunAsync(999_999));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        await Assert.ThrowsAsync<KeelException>(() => _client.GetPipelineAsync("e2e-unknown"));
    }

    [Fact]
    public async Task The_init_template_applies_with_every_step_type_it_uses()
    {
        var dir = TempDirs.Create("keel-e2e-init");
        try
        {
            var file = Path.Combine(dir, "retrain.yaml");
            var (exit, stdout, stderr) = await KeelCli.RunAsync(["pipelines", "init", "--template", "classification", "--dataset", "d", "--label", "y", "--endpoint", "e", "--file", file]);
            Assert.True(exit == 0, stdout + stderr);
            var text = await File.ReadAllTextAsync(file);
            var applied = await _client.ApplyPipelineAsync(text);
            Assert.Equal(["validate", "train", "gate", "register", "canary", "alias"], applied.Pipeline!.Steps.Select(s => s.Name));
            Assert.Equal(2, applied.Pipeline.Triggers.Count);
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    private static bool Alive(int pid)
    {
        // A killed child not yet reaped shows as a zombie ('Z'): it runs nothing.
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task<PipelineRunResponse> WaitEndedAsync(long runId) =>
        await WaitForAsync(async () => await _client.GetPipelineRunAsync(runId) is { Run.State: "succeeded" or "failed" or "cancelled" } r ? r : null, $"run {runId} to end");

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> read, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            // A short poll interval, not a synchronisation: the condition decides.
            await Task.Delay(50);
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what) =>
        await WaitForAsync(async () => await condition() ? new object() : null, what);
}
