using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Pipelines;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IPipelineStore"/> backend signs up to: definitions are versioned by
/// hash with optimistic concurrency; runs are created once per idempotency key and once per live
/// dedupe key; starts respect the concurrency limit even when raced; run and step changes follow
/// <see cref="PipelineTransitions"/> and a step's (state, attempt) fence; ending a run ends its
/// steps; every change is an event in sequence; logs page by position; the cache keeps its first
/// entry; trigger state is upserted under the scheduler's lease fence.
/// </summary>
public abstract class PipelineStoreContract : IDisposable
{
    private (IPipelineStore Pipelines, ILeaseStore Leases)? _stores;

    /// <summary>Returns a fresh, empty pipeline store and the lease store of the same database.</summary>
    protected abstract (IPipelineStore Pipelines, ILeaseStore Leases) CreateStores();

    protected IPipelineStore Store => (_stores ??= CreateStores()).Pipelines;

    protected ILeaseStore Leases => (_stores ??= CreateStores()).Leases;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task Applying_a_definition_creates_version_one_then_adds_a_version_only_when_the_hash_changes()
    {
        var (created, changed) = await Store.PutPipelineAsync("retrain", "steps: [a]", "h1", null);
        Assert.True(changed);
        Assert.Equal(("retrain", 1, "steps: [a]", "h1"), (created.Name, created.Version, created.Source, created.Hash));

        var (same, sameChanged) = await Store.PutPipelineAsync("retrain", "steps:  [a]", "h1", null);
        Assert.False(sameChanged);
        Assert.Equal((1, "steps: [a]"), (same.Version, same.Source));

        var (second, secondChanged) = await Store.PutPipelineAsync("retrain", "steps: [a, b]", "h2", 1);
        Assert.True(secondChanged);
        Assert.Equal((2, "h2", created.CreatedAt), (second.Version, second.Hash, second.CreatedAt));
        Assert.True(second.UpdatedAt >= created.UpdatedAt);

        Assert.Equal("h2", (await Store.GetPipelineAsync("retrain"))!.Hash);
        var first = (await Store.GetPipelineAsync("retrain", 1))!;
        Assert.Equal((1, "steps: [a]", "h1"), (first.Version, first.Source, first.Hash));
        Assert.Null(await Store.GetPipelineAsync("retrain", 3));
        Assert.Null(await Store.GetPipelineAsync("missing"));
    }

    [ContractFact]
    public async Task An_unexpected_version_is_a_conflict_that_changes_nothing()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", 0);
        var exists = await Assert.ThrowsAsync<KeelException>(() => Store.PutPipelineAsync("retrain", "b", "h2", 0));
        Assert.Equal(ErrorCode.ResourceConflict, exists.Code);
        Assert.Contains("version 1", exists.Message, StringComparison.Ordinal);
        var stale = await Assert.ThrowsAsync<KeelException>(() => Store.PutPipelineAsync("retrain", "b", "h2", 2));
        Assert.Equal(ErrorCode.ResourceConflict, stale.Code);
        var missing = await Assert.ThrowsAsync<KeelException>(() => Store.PutPipelineAsync("nobody", "b", "h2", 1));
        Assert.Equal(ErrorCode.ResourceConflict, missing.Code);

        Assert.Equal((1, "h1"), ((await Store.GetPipelineAsync("retrain"))!.Version, (await Store.GetPipelineAsync("retrain"))!.Hash));
        Assert.Null(await Store.GetPipelineAsync("nobody"));
    }

    [ContractFact]
    public async Task Pipelines_list_by_name_at_their_latest_version()
    {
        await Store.PutPipelineAsync("zeta", "z", "z1", null);
        await Store.PutPipelineAsync("alpha", "a", "a1", null);
        await Store.PutPipelineAsync("alpha", "a2", "a2", null);

        var all = await Store.ListPipelinesAsync();
        Assert.Equal([("alpha", 2), ("zeta", 1)], all.Select(p => (p.Name, p.Version)));
    }

    [ContractFact]
    public async Task A_run_is_created_queued_with_its_steps_queued_in_order()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var parameters = new Dictionary<string, string> { ["lr"] = "0.1", ["dataset"] = "datasets:/iris/3" };
        var trigger = new PipelineTrigger("alert", "on-drift", """{"alert_id":7}""", null);
        var created = await Store.CreateRunAsync(new NewPipelineRun("retrain", 1, trigger, parameters, ["validate", "train", "evaluate"]));

        Assert.True(created.Created);
        var run = created.Run;
        Assert.Equal(("retrain", 1, PipelineRunState.Queued, trigger), (run.Pipeline, run.PipelineVersion, run.State, run.Trigger));
        Assert.Equal(parameters.OrderBy(p => p.Key), run.Parameters.OrderBy(p => p.Key));
        Assert.Equal(((string?)null, (long?)null, (long?)null, (string?)null), (run.MlflowRunId, run.StartedAt, run.FinishedAt, run.Error));
        Assert.True(run.CreatedAt > 0);
        AssertSame(run, await Store.GetRunAsync(run.Id));

        var steps = await Store.GetStepsAsync(run.Id);
        Assert.Equal(["validate", "train", "evaluate"], steps.Select(s => s.Step));
        Assert.All(steps, s => Assert.Equal((run.Id, StepRunState.Queued, 0, 0), (s.RunId, s.State, s.Attempt, s.Outputs.Count)));
        Assert.Null(await Store.GetRunAsync(run.Id + 1000));
        Assert.Empty(await Store.GetStepsAsync(run.Id + 1000));
    }

    [ContractFact]
    public async Task A_run_of_an_unknown_pipeline_or_version_is_refused()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var none = await Assert.ThrowsAsync<KeelException>(() => Store.CreateRunAsync(Manual("missing")));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, none.Code);
        var version = await Assert.ThrowsAsync<KeelException>(() => Store.CreateRunAsync(Manual("retrain", version: 2)));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, version.Code);
        Assert.Empty(await Store.ListRunsAsync(new PipelineRunQuery()));
    }

    [ContractFact]
    public async Task An_idempotency_key_returns_the_run_it_created_whatever_its_state()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var first = await Store.CreateRunAsync(Manual("retrain", idempotencyKey: "alert-7"));
        await Store.FinishRunAsync(first.Run.Id, PipelineRunState.Cancelled, "by hand");

        var again = await Store.CreateRunAsync(Manual("retrain", idempotencyKey: "alert-7"));
        Assert.False(again.Created);
        Assert.Equal((first.Run.Id, PipelineRunState.Cancelled), (again.Run.Id, again.Run.State));
        Assert.Single(await Store.ListRunsAsync(new PipelineRunQuery("retrain")));
    }

    [ContractFact]
    public async Task A_dedupe_key_returns_the_live_run_and_is_freed_when_it_ends()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        await Store.PutPipelineAsync("other", "a", "h1", null);
        var first = await Store.CreateRunAsync(Manual("retrain", dedupeKey: "model-churn"));
        Assert.Equal("model-churn", first.Run.DedupeKey);

        var queued = await Store.CreateRunAsync(Manual("retrain", dedupeKey: "model-churn"));
        Assert.Equal((false, first.Run.Id), (queued.Created, queued.Run.Id));
        await Store.TryStartRunAsync(first.Run.Id, 1, null);
        var running = await Store.CreateRunAsync(Manual("retrain", dedupeKey: "model-churn"));
        Assert.Equal((false, first.Run.Id), (running.Created, running.Run.Id));

        // Another key, or the same key of another pipeline, is another run.
        Assert.True((await Store.CreateRunAsync(Manual("retrain", dedupeKey: "model-fraud"))).Created);
        Assert.True((await Store.CreateRunAsync(Manual("other", dedupeKey: "model-churn"))).Created);

        await Store.FinishRunAsync(first.Run.Id, PipelineRunState.Succeeded, null);
        var next = await Store.CreateRunAsync(Manual("retrain", dedupeKey: "model-churn"));
        Assert.True(next.Created);
        Assert.NotEqual(first.Run.Id, next.Run.Id);
    }

    [ContractFact]
    public async Task Concurrent_creates_with_one_dedupe_key_yield_one_run()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.CreateRunAsync(Manual("retrain", dedupeKey: "model-churn")))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Run.Id).Distinct());
        Assert.Single(await Store.ListRunsAsync(new PipelineRunQuery("retrain")));
    }

    [ContractFact]
    public async Task A_start_respects_the_concurrency_limit_and_leaves_the_run_queued_when_full()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var a = (await Store.CreateRunAsync(Manual("retrain"))).Run;
        var b = (await Store.CreateRunAsync(Manual("retrain"))).Run;
        var c = (await Store.CreateRunAsync(Manual("retrain"))).Run;

        var started = await Store.TryStartRunAsync(a.Id, 2, "mlflow-a");
        Assert.Equal((PipelineRunState.Running, "mlflow-a", a.Version + 1), (started.State, started.MlflowRunId, started.Version));
        Assert.NotNull(started.StartedAt);
        Assert.Equal(PipelineRunState.Running, (await Store.TryStartRunAsync(b.Id, 2, null)).State);
        var full = await Store.TryStartRunAsync(c.Id, 2, "mlflow-c");
        Assert.Equal((PipelineRunState.Queued, (string?)null, c.Version), (full.State, full.MlflowRunId, full.Version));

        // A run already running stays as it is; a slot frees when a run ends.
        AssertSame(started, await Store.TryStartRunAsync(a.Id, 2, "mlflow-other"));
        await Store.FinishRunAsync(a.Id, PipelineRunState.Succeeded, null);
        Assert.Equal(PipelineRunState.Running, (await Store.TryStartRunAsync(c.Id, 2, null)).State);

        var missing = await Assert.ThrowsAsync<KeelException>(() => Store.TryStartRunAsync(c.Id + 100, 1, null));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
    }

    [ContractFact]
    public async Task Raced_starts_of_queued_runs_never_exceed_the_limit()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var runs = new List<PipelineRun>();
        for (var i = 0; i < 8; i++)
        {
            runs.Add((await Store.CreateRunAsync(Manual("retrain"))).Run);
        }

        var results = await Task.WhenAll(runs.Select(r => Task.Run(() => Store.TryStartRunAsync(r.Id, 1, null))));

        Assert.Single(results, r => r.State == PipelineRunState.Running);
        Assert.Single(await Store.ListRunsAsync(new PipelineRunQuery("retrain", [PipelineRunState.Running])));
        Assert.Equal(7, (await Store.ListRunsAsync(new PipelineRunQuery("retrain", [PipelineRunState.Queued]))).Count);
    }

    [ContractFact]
    public async Task A_run_ends_only_as_its_table_allows_and_never_leaves_a_final_state()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var queued = (await Store.CreateRunAsync(Manual("retrain"))).Run;
        var e = await Assert.ThrowsAsync<KeelException>(() => Store.FinishRunAsync(queued.Id, PipelineRunState.Succeeded, null));
        Assert.Equal(ErrorCode.ResourceConflict, e.Code);
        Assert.Contains("queued", e.Message, StringComparison.Ordinal);

        var cancelled = await Store.FinishRunAsync(queued.Id, PipelineRunState.Cancelled, "not needed");
        Assert.Equal((PipelineRunState.Cancelled, "not needed"), (cancelled.State, cancelled.Error));
        Assert.NotNull(cancelled.FinishedAt);
        var again = await Assert.ThrowsAsync<KeelException>(() => Store.FinishRunAsync(queued.Id, PipelineRunState.Failed, "late"));
        Assert.Equal(ErrorCode.ResourceConflict, again.Code);
        Assert.Contains("cancelled", again.Message, StringComparison.Ordinal);
        Assert.Equal(PipelineRunState.Cancelled, (await Store.TryStartRunAsync(queued.Id, 1, null)).State);

        var missing = await Assert.ThrowsAsync<KeelException>(() => Store.FinishRunAsync(queued.Id + 100, PipelineRunState.Failed, null));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
    }

    [ContractFact]
    public async Task A_step_moves_through_its_states_with_times_outputs_and_a_new_version_each_change()
    {
        var run = await StartedRunAsync("train", "evaluate");
        var queued = (await Store.GetStepsAsync(run.Id))[0];

        var running = await Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1, CacheKey: "k1", MlflowRunId: "m1", JobId: 42));
        Assert.Equal((StepRunState.Running, 1, "k1", "m1", (long?)42, queued.Version + 1), (running.State, running.Attempt, running.CacheKey, running.MlflowRunId, running.JobId, running.Version));
        Assert.NotNull(running.StartedAt);
        Assert.Null(running.FinishedAt);

        var outputs = new Dictionary<string, string> { ["model"] = "runs:/m1/model", ["metrics"] = "{\"auc\":0.9}" };
        var done = await Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Running, 1, StepRunState.Succeeded, Outputs: outputs));
        Assert.Equal((StepRunState.Succeeded, 1, "k1", "m1", (long?)42, running.StartedAt), (done.State, done.Attempt, done.CacheKey, done.MlflowRunId, done.JobId, done.StartedAt));
        Assert.Equal(outputs.OrderBy(p => p.Key), done.Outputs.OrderBy(p => p.Key));
        Assert.NotNull(done.FinishedAt);
        AssertSame(done, (await Store.GetStepsAsync(run.Id))[0]);

        var cached = await Store.UpdateStepAsync(new StepUpdate(run.Id, "evaluate", StepRunState.Queued, 0, StepRunState.Cached, CacheKey: "k2", CachedFrom: 3, Outputs: outputs));
        Assert.Equal((StepRunState.Cached, (long?)3, 0), (cached.State, cached.CachedFrom, cached.Attempt));
        Assert.NotNull(cached.FinishedAt);
    }

    [ContractFact]
    public async Task A_stale_state_or_attempt_is_a_conflict_naming_the_current_ones_and_changes_nothing()
    {
        var run = await StartedRunAsync("train");
        await Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1));

        // A retry goes back to queued; a new try takes attempt 2; the first try's worker is fenced out.
        await Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Running, 1, StepRunState.Queued, Error: "worker lost"));
        var second = await Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Queued, 1, StepRunState.Running, Attempt: 2));
        Assert.Equal((2, "worker lost"), (second.Attempt, second.Error));

        var stale = await Assert.ThrowsAsync<KeelException>(() => Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Running, 1, StepRunState.Succeeded)));
        Assert.Equal(ErrorCode.ResourceConflict, stale.Code);
        Assert.Contains("running at attempt 2", stale.Message, StringComparison.Ordinal);
        var wrongState = await Assert.ThrowsAsync<KeelException>(() => Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Queued, 2, StepRunState.Running, Attempt: 3)));
        Assert.Equal(ErrorCode.ResourceConflict, wrongState.Code);

        // A lost worker's step taken over in place: running to running at a new attempt.
        var takenOver = await Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Running, 2, StepRunState.Running, Attempt: 3));
        Assert.Equal((StepRunState.Running, 3, second.Version + 1), (takenOver.State, takenOver.Attempt, takenOver.Version));
        AssertSame(takenOver, Assert.Single(await Store.GetStepsAsync(run.Id)));
    }

    [ContractFact]
    public async Task A_move_the_table_forbids_is_a_conflict_and_final_states_are_never_left()
    {
        var run = await StartedRunAsync("train", "evaluate");
        var skip = await Assert.ThrowsAsync<KeelException>(() => Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Queued, 0, StepRunState.Succeeded)));
        Assert.Equal(ErrorCode.ResourceConflict, skip.Code);

        await Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1));
        await Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Running, 1, StepRunState.Failed, Error: "boom"));
        foreach (var to in new[] { StepRunState.Running, StepRunState.Queued, StepRunState.Succeeded, StepRunState.Cancelled })
        {
            var e = await Assert.ThrowsAsync<KeelException>(() => Store.UpdateStepAsync(new StepUpdate(run.Id, "train", StepRunState.Failed, 1, to, Attempt: 2)));
            Assert.Equal(ErrorCode.ResourceConflict, e.Code);
            Assert.Contains("failed", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal((StepRunState.Failed, 1, "boom"), ((await Store.GetStepsAsync(run.Id))[0].State, (await Store.GetStepsAsync(run.Id))[0].Attempt, (await Store.GetStepsAsync(run.Id))[0].Error));

        var unknownStep = await Assert.ThrowsAsync<KeelException>(() => Store.UpdateStepAsync(new StepUpdate(run.Id, "deploy", StepRunState.Queued, 0, StepRunState.Running)));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, unknownStep.Code);
        var unknownRun = await Assert.ThrowsAsync<KeelException>(() => Store.UpdateStepAsync(new StepUpdate(run.Id + 100, "train", StepRunState.Queued, 0, StepRunState.Running)));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, unknownRun.Code);
    }

    [ContractFact]
    public async Task Ending_a_run_ends_its_unfinished_steps_so_no_worker_records_them_afterwards()
    {
        var failed = await StartedRunAsync("a", "b", "c");
        await Store.UpdateStepAsync(new StepUpdate(failed.Id, "a", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1));
        await Store.UpdateStepAsync(new StepUpdate(failed.Id, "a", StepRunState.Running, 1, StepRunState.Succeeded));
        await Store.UpdateStepAsync(new StepUpdate(failed.Id, "b", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1));
        var ended = await Store.FinishRunAsync(failed.Id, PipelineRunState.Failed, "b failed");
        Assert.Equal((PipelineRunState.Failed, "b failed"), (ended.State, ended.Error));
        Assert.Equal(
            [StepRunState.Succeeded, StepRunState.Cancelled, StepRunState.Skipped],
            (await Store.GetStepsAsync(failed.Id)).Select(s => s.State));
        Assert.All((await Store.GetStepsAsync(failed.Id)).Skip(1), s => Assert.NotNull(s.FinishedAt));
        var late = await Assert.ThrowsAsync<KeelException>(() => Store.UpdateStepAsync(new StepUpdate(failed.Id, "b", StepRunState.Running, 1, StepRunState.Succeeded)));
        Assert.Equal(ErrorCode.ResourceConflict, late.Code);

        var cancelled = await StartedRunAsync("a", "b");
        await Store.UpdateStepAsync(new StepUpdate(cancelled.Id, "a", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1));
        await Store.FinishRunAsync(cancelled.Id, PipelineRunState.Cancelled, "by alice");
        Assert.Equal([StepRunState.Cancelled, StepRunState.Cancelled], (await Store.GetStepsAsync(cancelled.Id)).Select(s => s.State));
    }

    [ContractFact]
    public async Task Every_change_is_an_event_in_sequence_filtered_by_run()
    {
        var first = await StartedRunAsync("train");
        await Store.UpdateStepAsync(new StepUpdate(first.Id, "train", StepRunState.Queued, 0, StepRunState.Running, Attempt: 1));
        var second = (await Store.CreateRunAsync(Manual("retrain"))).Run;
        await Store.UpdateStepAsync(new StepUpdate(first.Id, "train", StepRunState.Running, 1, StepRunState.Failed, Error: "boom"));
        await Store.FinishRunAsync(first.Id, PipelineRunState.Failed, "train failed");

        var all = await Store.ListEventsAsync(0, null, 100);
        Assert.Equal(
            [(first.Id, null, "queued"), (first.Id, null, "running"), (first.Id, "train", "running"), (second.Id, null, "queued"), (first.Id, "train", "failed"), (first.Id, null, "failed")],
            all.Select(e => (e.RunId, e.Step, e.State)));
        Assert.Equal(all.Select(e => e.Seq).Order(), all.Select(e => e.Seq));
        Assert.Equal(all.Count, all.Select(e => e.Seq).Distinct().Count());
        Assert.All(all, e => Assert.Equal("retrain", e.Pipeline));
        Assert.Equal("boom", all[4].Message);
        Assert.Equal("train failed", all[5].Message);

        Assert.Equal(all.Where(e => e.RunId == first.Id), await Store.ListEventsAsync(0, first.Id, 100));
        Assert.Equal(all.Skip(2).Take(2), await Store.ListEventsAsync(all[1].Seq, null, 2));
        Assert.Equal(all.Where(e => e.RunId == first.Id).Skip(3), await Store.ListEventsAsync(all[2].Seq, first.Id, 100));
        Assert.Empty(await Store.ListEventsAsync(all[^1].Seq, null, 100));
    }

    [ContractFact]
    public async Task Log_lines_keep_their_order_and_page_by_position_of_one_step_or_all()
    {
        var run = await StartedRunAsync("train", "evaluate");
        await Store.AppendLogAsync(run.Id, "train", 1, ["epoch 1", "epoch 2"]);
        await Store.AppendLogAsync(run.Id, "evaluate", 1, ["auc 0.9"]);
        await Store.AppendLogAsync(run.Id, "train", 2, ["epoch 1 again", "  indented ", ""]);
        await Store.AppendLogAsync(run.Id, "train", 2, []);

        var all = await Store.ListLogAsync(run.Id, null, 0, 100);
        Assert.Equal(["epoch 1", "epoch 2", "auc 0.9", "epoch 1 again", "  indented ", ""], all.Select(l => l.Line));
        Assert.Equal(all.Select(l => l.Seq).Order(), all.Select(l => l.Seq));
        Assert.Equal(all.Count, all.Select(l => l.Seq).Distinct().Count());
        Assert.Equal([1, 1, 1, 2, 2, 2], all.Select(l => l.Attempt));
        Assert.All(all, l => Assert.Equal(run.Id, l.RunId));

        var train = await Store.ListLogAsync(run.Id, "train", 0, 100);
        Assert.Equal(5, train.Count);
        Assert.All(train, l => Assert.Equal("train", l.Step));
        var page = await Store.ListLogAsync(run.Id, "train", train[1].Seq, 2);
        Assert.Equal(["epoch 1 again", "  indented "], page.Select(l => l.Line));
        Assert.Empty(await Store.ListLogAsync(run.Id, null, all[^1].Seq, 100));
        Assert.Empty(await Store.ListLogAsync(run.Id + 100, null, 0, 100));

        var unknown = await Assert.ThrowsAsync<KeelException>(() => Store.AppendLogAsync(run.Id, "deploy", 1, ["x"]));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, unknown.Code);
    }

    [ContractFact]
    public async Task The_cache_keeps_the_first_entry_stored_under_a_key()
    {
        Assert.Null(await Store.FindCacheAsync("k1"));
        var first = new StepCacheEntry("k1", "retrain", "train", 1, new Dictionary<string, string> { ["model"] = "runs:/a/model" }, 1_700_000_000_000);
        var stored = await Store.PutCacheAsync(first);
        Assert.Equal((first.Key, first.Pipeline, first.Step, first.RunId, first.CreatedAt), (stored.Key, stored.Pipeline, stored.Step, stored.RunId, stored.CreatedAt));
        Assert.Equal("runs:/a/model", stored.Outputs["model"]);

        var second = first with { RunId = 2, Outputs = new Dictionary<string, string> { ["model"] = "runs:/b/model" }, CreatedAt = 1_700_000_001_000 };
        var kept = await Store.PutCacheAsync(second);
        Assert.Equal((1L, "runs:/a/model"), (kept.RunId, kept.Outputs["model"]));
        var found = (await Store.FindCacheAsync("k1"))!;
        Assert.Equal((1L, "runs:/a/model", 1_700_000_000_000), (found.RunId, found.Outputs["model"], found.CreatedAt));

        var raced = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => Store.PutCacheAsync(first with { Key = "k2", RunId = 10 + i }))));
        Assert.Single(raced.Select(e => e.RunId).Distinct());
    }

    [ContractFact]
    public async Task Trigger_state_is_upserted_and_listed_by_trigger()
    {
        Assert.Empty(await Store.GetTriggerStatesAsync("retrain"));
        var nightly = new TriggerState("retrain", "nightly", "1700000000000", null, null, 1, 1_700_000_000_100);
        await Store.SaveTriggerStateAsync(nightly, null);
        await Store.SaveTriggerStateAsync(new TriggerState("retrain", "drift", "41", 1_700_000_060_000, """{"alert_id":41}""", 0, 1_700_000_000_200), null);
        await Store.SaveTriggerStateAsync(new TriggerState("other", "nightly", null, null, null, 0, 1), null);

        var changed = nightly with { Cursor = "1700086400000", Fired = 2, UpdatedAt = 1_700_086_400_100 };
        await Store.SaveTriggerStateAsync(changed, null);

        var states = await Store.GetTriggerStatesAsync("retrain");
        Assert.Equal(["drift", "nightly"], states.Select(s => s.Trigger));
        Assert.Equal(changed, states[1]);
        Assert.Equal(("41", (long?)1_700_000_060_000, """{"alert_id":41}"""), (states[0].Cursor, states[0].PendingUntil, states[0].PendingDetail));
        await Store.SaveTriggerStateAsync(states[0] with { PendingUntil = null, PendingDetail = null }, null);
        Assert.Equal(((long?)null, (string?)null), ((await Store.GetTriggerStatesAsync("retrain"))[0].PendingUntil, (await Store.GetTriggerStatesAsync("retrain"))[0].PendingDetail));
    }

    [ContractFact]
    public async Task A_write_under_a_stale_lease_fence_is_refused_and_changes_nothing()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var fence = (await Leases.TryAcquireAsync("contract-scheduler", "replica-a", TimeSpan.FromMinutes(1)))!;
        var state = new TriggerState("retrain", "nightly", "1", null, null, 1, 1);
        await Store.SaveTriggerStateAsync(state, fence);
        Assert.True((await Store.CreateRunAsync(Manual("retrain", idempotencyKey: "tick-1"), fence)).Created);

        await Leases.ReleaseAsync(fence);
        var taken = (await Leases.TryAcquireAsync("contract-scheduler", "replica-b", TimeSpan.FromMinutes(1)))!;
        Assert.True(taken.Epoch > fence.Epoch);

        var save = await Assert.ThrowsAsync<KeelException>(() => Store.SaveTriggerStateAsync(state with { Cursor = "2", Fired = 2 }, fence));
        Assert.Equal(ErrorCode.ResourceConflict, save.Code);
        var create = await Assert.ThrowsAsync<KeelException>(() => Store.CreateRunAsync(Manual("retrain", idempotencyKey: "tick-2"), fence));
        Assert.Equal(ErrorCode.ResourceConflict, create.Code);

        Assert.Equal(state, Assert.Single(await Store.GetTriggerStatesAsync("retrain")));
        Assert.Single(await Store.ListRunsAsync(new PipelineRunQuery("retrain")));
        await Store.SaveTriggerStateAsync(state with { Cursor = "2" }, taken);
        Assert.Equal("2", Assert.Single(await Store.GetTriggerStatesAsync("retrain")).Cursor);
    }

    [ContractFact]
    public async Task Runs_list_newest_first_by_pipeline_and_state_and_page_before_an_id()
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        await Store.PutPipelineAsync("score", "a", "h1", null);
        var ids = new List<long>();
        foreach (var pipeline in new[] { "retrain", "score", "retrain", "retrain", "score" })
        {
            ids.Add((await Store.CreateRunAsync(Manual(pipeline))).Run.Id);
        }

        await Store.TryStartRunAsync(ids[2], 5, null);
        await Store.FinishRunAsync(ids[3], PipelineRunState.Cancelled, null);

        Assert.Equal(ids.AsEnumerable().Reverse(), (await Store.ListRunsAsync(new PipelineRunQuery())).Select(r => r.Id));
        Assert.Equal([ids[3], ids[2], ids[0]], (await Store.ListRunsAsync(new PipelineRunQuery("retrain"))).Select(r => r.Id));
        Assert.Equal([ids[2], ids[0]], (await Store.ListRunsAsync(new PipelineRunQuery("retrain", [PipelineRunState.Queued, PipelineRunState.Running]))).Select(r => r.Id));
        Assert.Equal([ids[4], ids[1], ids[0]], (await Store.ListRunsAsync(new PipelineRunQuery(States: [PipelineRunState.Queued]))).Select(r => r.Id));
        Assert.Equal([ids[4], ids[3]], (await Store.ListRunsAsync(new PipelineRunQuery(MaxResults: 2))).Select(r => r.Id));
        Assert.Equal([ids[2], ids[1]], (await Store.ListRunsAsync(new PipelineRunQuery(BeforeId: ids[3], MaxResults: 2))).Select(r => r.Id));
        Assert.Empty(await Store.ListRunsAsync(new PipelineRunQuery("nothing")));
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private static readonly Dictionary<string, string> NoMap = [];

    // Records holding maps compare them by reference: compare the maps by content instead.
    private static void AssertSame(PipelineRun expected, PipelineRun? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Parameters = NoMap }, actual with { Parameters = NoMap });
        Assert.Equal(expected.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private static void AssertSame(StepRun expected, StepRun actual)
    {
        Assert.Equal(expected with { Outputs = NoMap }, actual with { Outputs = NoMap });
        Assert.Equal(expected.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private static NewPipelineRun Manual(string pipeline, int version = 1, string? dedupeKey = null, string? idempotencyKey = null) =>
        new(pipeline, version, PipelineTrigger.Manual("alice"), new Dictionary<string, string>(), ["train"], dedupeKey, idempotencyKey);

    // A running run of pipeline "retrain" with the given steps.
    private async Task<PipelineRun> StartedRunAsync(params string[] steps)
    {
        await Store.PutPipelineAsync("retrain", "a", "h1", null);
        var run = (await Store.CreateRunAsync(new NewPipelineRun("retrain", 1, PipelineTrigger.Manual(), new Dictionary<string, string>(), steps))).Run;
        return await Store.TryStartRunAsync(run.Id, 100, null);
    }
}
