using System.Text.Json;
using Keel.Core.Coordination;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Registry;

namespace Keel.Application.Pipelines.Scheduling;

/// <summary>
/// The pipeline scheduler, run by the one replica holding the <c>pipeline-scheduler</c> lease. Each
/// pass reads every trigger's feed from its stored cursor, starts a run per firing (keyed by the event,
/// so a pass repeated after a crash starts nothing twice; a run is started before its cursor moves),
/// holds debounced firings until their burst is quiet, and saves the cursors fenced by the lease, so a
/// deposed leader's late write is refused. It also re-advances unfinished runs, which recovers a run
/// whose replica died between two writes, and fails steps whose job died.
/// </summary>
public sealed class PipelineScheduler
{
    private readonly PipelineRunner _runner;
    private readonly TriggerSources _sources;
    private readonly IJobQueue _jobs;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    /// <param name="runner">Starts and advances runs.</param>
    /// <param name="datasets">For dataset triggers.</param>
    /// <param name="alerts">For alert triggers.</param>
    /// <param name="registry">For registry triggers.</param>
    /// <param name="jobs">The job queue (to see steps whose job died).</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">Where it says what it did.</param>
    public PipelineScheduler(
        PipelineRunner runner, IDatasetStore? datasets, IAlertCatalog? alerts, IModelRegistryStore? registry, IJobQueue jobs, TimeProvider? time = null, Action<string>? log = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _sources = new TriggerSources(datasets, alerts, registry);
        _jobs = jobs ?? throw new ArgumentNullException(nameof(jobs));
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
    }

    /// <summary>How late a cron time may be fired and still count as on time (not missed).</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One pass over every pipeline's triggers; returns the runs it started.</summary>
    /// <param name="fence">The scheduler lease; null when not fenced (a single process, tests).</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    public async Task<IReadOnlyList<PipelineRun>> FireAsync(LeaseFence? fence, CancellationToken cancellationToken)
    {
        var started = new List<PipelineRun>();
        foreach (var pipeline in await _runner.Store.ListPipelinesAsync(cancellationToken).ConfigureAwait(false))
        {
            ParsedPipeline parsed;
            try
            {
                parsed = await _runner.LoadAsync(pipeline.Name, pipeline.Version, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException e) when (e.Code == ErrorCode.InvalidParameterValue)
            {
                // A stored version this process cannot run (e.g. a step type it lacks): leave it to one that can.
                _log($"pipeline {pipeline.Name} v{pipeline.Version}: {e.Message}");
                continue;
            }

            if (parsed.Definition.Triggers.Count == 0)
            {
                continue;
            }

            var states = (await _runner.Store.GetTriggerStatesAsync(pipeline.Name, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Trigger, StringComparer.Ordinal);
            foreach (var trigger in parsed.Definition.Triggers)
            {
                try
                {
                    started.AddRange(await FireTriggerAsync(parsed, trigger, states.GetValueOrDefault(trigger.Name), fence, cancellationToken).ConfigureAwait(false));
                }
                catch (KeelException e) when (e.Code != ErrorCode.ResourceConflict)
                {
                    _log($"pipeline {pipeline.Name} trigger {trigger.Name}: {e.Message}");
                }
            }
        }

        return started;
    }

    private async Task<List<PipelineRun>> FireTriggerAsync(ParsedPipeline parsed, TriggerDefinition trigger, TriggerState? state, LeaseFence? fence, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var (cursor, firings) = await _sources.ReadAsync(parsed.Stored.Name, trigger, state?.Cursor, now, Grace, cancellationToken).ConfigureAwait(false);
        var started = new List<PipelineRun>();
        var pendingUntil = state?.PendingUntil;
        var pendingDetail = state?.PendingDetail;
        var fired = state?.Fired ?? 0;
        if (trigger.DebounceSeconds > 0)
        {
            if (firings.Count > 0)
            {
                // A burst: wait until it has been quiet for the debounce, then fire once with the last event.
                pendingUntil = nowMs + (trigger.DebounceSeconds * 1000L);
                pendingDetail = JsonSerializer.Serialize(new PendingFiring(firings[^1].Key, new Dictionary<string, string>(firings[^1].Fields)));
            }
            else if (pendingUntil is { } due && due <= nowMs && pendingDetail is not null)
            {
                var pending = JsonSerializer.Deserialize<PendingFiring>(pendingDetail)!;
                if (await StartAsync(parsed, trigger, new TriggerFiring(pending.Key, pending.Fields), fence, cancellationToken).ConfigureAwait(false) is { } run)
                {
                    started.Add(run);
                    fired++;
                }

                pendingUntil = null;
                pendingDetail = null;
            }
        }
        else
        {
            foreach (var firing in firings)
            {
                if (await StartAsync(parsed, trigger, firing, fence, cancellationToken).ConfigureAwait(false) is { } run)
                {
                    started.Add(run);
                    fired++;
                }
            }
        }

        if (state is null || state.Cursor != cursor || state.PendingUntil != pendingUntil || state.PendingDetail != pendingDetail || state.Fired != fired)
        {
            await _runner.Store.SaveTriggerStateAsync(new TriggerState(parsed.Stored.Name, trigger.Name, cursor, pendingUntil, pendingDetail, fired, nowMs), fence, cancellationToken).ConfigureAwait(false);
        }

        return started;
    }

    private async Task<PipelineRun?> StartAsync(ParsedPipeline parsed, TriggerDefinition trigger, TriggerFiring firing, LeaseFence? fence, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, template) in trigger.Params)
            {
                parameters[name] = Templates.Expand(
                    template,
                    (scope, field) => scope == "event" ? firing.Fields.GetValueOrDefault(field) : scope == "params" ? parsed.Definition.Parameters.GetValueOrDefault(field) : null,
                    $"triggers.{trigger.Name}.params.{name}");
            }

            var detail = JsonSerializer.Serialize(firing.Fields);
            var created = await _runner.StartAsync(parsed.Stored.Name, parameters, new PipelineTrigger(trigger.Kind, trigger.Name, detail), firing.Key, fence, cancellationToken).ConfigureAwait(false);
            _log(created.Created
                ? $"pipeline {parsed.Stored.Name}: trigger {trigger.Name} started run {created.Run.Id}"
                : $"pipeline {parsed.Stored.Name}: trigger {trigger.Name} matched run {created.Run.Id} (dedupe or already started)");
            return created.Created ? created.Run : null;
        }
        catch (KeelException e) when (e.Code is ErrorCode.InvalidParameterValue or ErrorCode.ResourceDoesNotExist)
        {
            _log($"pipeline {parsed.Stored.Name}: trigger {trigger.Name} could not start a run: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Moves every unfinished run on from the store (a replica may have died between a step's end and
    /// the next step's queueing) and fails steps whose job died (its attempts ran out on lost workers).
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var active = await _runner.Store.ListRunsAsync(new PipelineRunQuery(null, [PipelineRunState.Queued, PipelineRunState.Running], null, 1000), cancellationToken).ConfigureAwait(false);
        foreach (var run in active.OrderBy(r => r.Id))
        {
            try
            {
                await ReconcileRunAsync(run, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException e) when (e.Code != ErrorCode.ResourceConflict)
            {
                // One run this process cannot load or move (a step type it lacks, a bad stored version)
                // must not stop the others from being reconciled.
                _log($"pipeline run {run.Id}: not reconciled: {e.Message}");
            }
        }
    }

    private async Task ReconcileRunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        if (run.State == PipelineRunState.Running)
        {
            foreach (var step in await _runner.Store.GetStepsAsync(run.Id, cancellationToken).ConfigureAwait(false))
            {
                if (step.JobId is not { } jobId || PipelineTransitions.IsFinal(step.State))
                {
                    continue;
                }

                var job = await _jobs.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
                if (job is { State: JobState.Dead or JobState.Cancelled or JobState.Succeeded })
                {
                    var reason = job.State == JobState.Dead ? $"its job died: {job.LastError}" : $"its job ended ({job.State}) while the step was running";
                    try
                    {
                        await _runner.Store.UpdateStepAsync(new StepUpdate(run.Id, step.Step, step.State, step.Attempt, StepRunState.Failed, Error: reason), cancellationToken).ConfigureAwait(false);
                        _log($"pipeline run {run.Id}: step {step.Step} failed ({reason})");
                    }
                    catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
                    {
                        // It moved on meanwhile.
                    }
                }
            }
        }

        await _runner.AdvanceAsync(run.Id, cancellationToken).ConfigureAwait(false);
    }

    private sealed record PendingFiring(string Key, Dictionary<string, string> Fields);
}
