using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Keel.Application.Jobs;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Pipelines;
using Keel.Core.Tracking;

namespace Keel.Application.Pipelines;

/// <summary>
/// Drives pipeline runs over the store and the job queue. Every decision is re-derived from the
/// store, so any replica may take any step: <see cref="AdvanceAsync"/> starts a queued run when a
/// slot is free, queues a job for each step whose upstreams are done (one job per step, by
/// idempotency key, so two replicas advancing at once queue it once), skips steps below a failure
/// and ends the run when every step has ended. A step's job (<see cref="ExecuteStepAsync"/>) checks
/// the cache, runs the step type with a timeout, records its outputs fenced by its attempt, and
/// advances the run. A killed worker's job is leased again by another; its step is taken over as a
/// new attempt, and the old attempt's outcome is refused.
/// </summary>
public sealed partial class PipelineRunner
{
    private readonly IPipelineStore _store;
    private readonly StepTypeCatalog _catalog;
    private readonly IJobQueue _queue;
    private readonly PipelineInputResolver _resolver;
    private readonly TrackingService? _tracking;
    private readonly PipelineOptions _options;
    private readonly JobSignal? _signal;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string, int), ParsedPipeline> _parsed = new();
    private readonly ConcurrentDictionary<string, string> _experiments = new(StringComparer.Ordinal);

    /// <param name="store">The pipeline store.</param>
    /// <param name="catalog">The step types.</param>
    /// <param name="queue">The job queue steps run through.</param>
    /// <param name="resolver">Pins inputs.</param>
    /// <param name="tracking">Records runs and steps as MLflow runs; null for none.</param>
    /// <param name="options">Settings.</param>
    /// <param name="signal">Wakes in-process workers when a step is queued.</param>
    /// <param name="time">The clock.</param>
    public PipelineRunner(
        IPipelineStore store, StepTypeCatalog catalog, IJobQueue queue, PipelineInputResolver resolver, TrackingService? tracking, PipelineOptions options,
        JobSignal? signal = null, TimeProvider? time = null, Keel.Core.Governance.IAuditSink? audit = null)
    {
        Audit = audit ?? Keel.Core.Governance.NullAuditSink.Instance;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _tracking = options.Tracking ? tracking : null;
        _options = options;
        _signal = signal;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The step types this runner knows.</summary>
    public StepTypeCatalog Catalog => _catalog;

    /// <summary>Where pipeline changes are reported (definitions applied, runs started and cancelled).</summary>
    public Keel.Core.Governance.IAuditSink Audit { get; }

    /// <summary>The store it runs over.</summary>
    public IPipelineStore Store => _store;

    /// <summary>A stored pipeline version, parsed and checked (cached: versions never change).</summary>
    /// <param name="name">The pipeline.</param>
    /// <param name="version">A version; null for the latest.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ParsedPipeline> LoadAsync(string name, int? version, CancellationToken cancellationToken)
    {
        if (version is { } v && _parsed.TryGetValue((name, v), out var cached))
        {
            return cached;
        }

        var stored = await _store.GetPipelineAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw KeelException.NotFound(version is null ? $"Pipeline '{name}' does not exist." : $"Pipeline '{name}' has no version {version}.");
        return _parsed.GetOrAdd((stored.Name, stored.Version), _ => Parse(stored));
    }

    private ParsedPipeline Parse(Pipeline stored)
    {
        var definition = PipelineDefinitionParser.Parse(stored.Source);
        return new ParsedPipeline(stored, definition, PipelineValidator.Validate(definition, _catalog));
    }

    /// <summary>
    /// Creates a run of the pipeline's latest version and starts it if a slot is free. Parameters not
    /// given take their defaults; an unknown or missing one is INVALID_PARAMETER_VALUE. With a dedupe
    /// key or idempotency key already in use, the existing run is returned.
    /// </summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="parameters">Parameter values.</param>
    /// <param name="trigger">What starts it.</param>
    /// <param name="idempotencyKey">Makes a retried request or a re-read event start one run.</param>
    /// <param name="fence">The scheduler's lease when a trigger starts it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<CreatedPipelineRun> StartAsync(
        string pipeline, IReadOnlyDictionary<string, string>? parameters, PipelineTrigger trigger, string? idempotencyKey, LeaseFence? fence, CancellationToken cancellationToken)
    {
        var parsed = await LoadAsync(pipeline, null, cancellationToken).ConfigureAwait(false);
        var values = Parameters(parsed, parameters ?? new Dictionary<string, string>());
        var dedupe = parsed.Definition.DedupeKey is { } template
            ? Templates.Expand(template, (scope, name) => scope == "params" ? values.GetValueOrDefault(name) : null, "dedupe_key")
            : null;
        var created = await _store.CreateRunAsync(
            new NewPipelineRun(parsed.Stored.Name, parsed.Stored.Version, trigger, values, [.. parsed.Definition.Steps.Select(s => s.Name)], dedupe, idempotencyKey),
            fence, cancellationToken).ConfigureAwait(false);
        if (created.Created)
        {
            // A run by hand is its user's; one a trigger fired is the pipeline system's.
            await Keel.Core.Governance.AuditSinkExtensions.ReportAsync(
                Audit, trigger.Actor ?? Keel.Core.Governance.AuditActors.Pipeline, "pipeline.run.start", "pipeline", parsed.Stored.Name, null,
                RunJson(created.Run)).ConfigureAwait(false);
            await AdvanceAsync(created.Run.Id, cancellationToken).ConfigureAwait(false);
            return created with { Run = await _store.GetRunAsync(created.Run.Id, cancellationToken).ConfigureAwait(false) ?? created.Run };
        }

        return created;
    }

    internal static string RunJson(PipelineRun run) =>
        System.Text.Json.JsonSerializer.Serialize(PipelineWire.Info(run), Keel.Core.Wire.PipelineApiJson.Default.PipelineRunInfo);

    private static Dictionary<string, string> Parameters(ParsedPipeline parsed, IReadOnlyDictionary<string, string> given)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in given)
        {
            if (!parsed.Definition.Parameters.ContainsKey(name))
            {
                throw KeelException.InvalidParameter(
                    $"Parameter '{name}' is not declared by pipeline '{parsed.Stored.Name}'; it declares: {string.Join(", ", parsed.Definition.Parameters.Keys.Order(StringComparer.Ordinal))}.");
            }

            if (value.Length > 4096)
            {
                throw KeelException.InvalidParameter($"Parameter '{name}' is longer than 4096 characters.");
            }

            values[name] = value;
        }

        foreach (var (name, fallback) in parsed.Definition.Parameters)
        {
            if (!values.ContainsKey(name))
            {
                values[name] = fallback ?? throw KeelException.InvalidParameter($"Parameter '{name}' of pipeline '{parsed.Stored.Name}' is required (it has no default).");
            }
        }

        return values;
    }

    /// <summary>
    /// Moves a run on from what the store says now; safe to call any number of times from any
    /// replica (the scheduler calls it for every unfinished run to recover from a crash between
    /// writes). Returns the run as it is afterwards.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<PipelineRun?> AdvanceAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null || PipelineTransitions.IsFinal(run.State))
        {
            return run;
        }

        var parsed = await LoadAsync(run.Pipeline, run.PipelineVersion, cancellationToken).ConfigureAwait(false);
        if (run.State == PipelineRunState.Queued)
        {
            run = await TryStartAsync(run, parsed, cancellationToken).ConfigureAwait(false);
            if (run.State != PipelineRunState.Running)
            {
                return run;
            }
        }

        var steps = (await _store.GetStepsAsync(runId, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Step, StringComparer.Ordinal);
        var queued = false;
        foreach (var step in parsed.Order)
        {
            var current = steps[step.Name];
            if (current.State != StepRunState.Queued || current.Attempt > 0)
            {
                // Attempt > 0 while queued: a retry waiting for its job's backoff, already dispatched.
                continue;
            }

            var upstream = PipelineValidator.Upstream(step).Distinct(StringComparer.Ordinal).Select(u => steps[u]).ToList();
            if (upstream.FirstOrDefault(u => u.State is StepRunState.Failed or StepRunState.Skipped or StepRunState.Cancelled) is { } blocked)
            {
                var skipped = await TryUpdateAsync(new StepUpdate(runId, step.Name, StepRunState.Queued, current.Attempt, StepRunState.Skipped,
                    Error: $"upstream step '{blocked.Step}' {PipelineTransitions.Name(blocked.State)}"), cancellationToken).ConfigureAwait(false);
                if (skipped is not null)
                {
                    steps[step.Name] = skipped;
                }

                continue;
            }

            if (upstream.All(u => PipelineTransitions.IsDone(u.State)))
            {
                var job = await _queue.EnqueueAsync(
                    new NewJob(PipelineOptions.StepJobKind, StepJob.Payload(runId, step.Name), $"pipeline-step:{runId}:{step.Name}", step.Retries + 1 + PipelineOptions.LostWorkerAllowance),
                    cancellationToken).ConfigureAwait(false);
                if (job.State is JobState.Dead or JobState.Cancelled)
                {
                    // The step's job (found again by its key) ended before any try started, e.g. every
                    // worker failed it before touching the step: nothing would ever run it, so the step
                    // fails here rather than leaving the run running for ever.
                    var failed = await TryUpdateAsync(new StepUpdate(runId, step.Name, StepRunState.Queued, current.Attempt, StepRunState.Failed, JobId: job.Id,
                        Error: $"its job {job.Id} {(job.State == JobState.Dead ? "died" : "was cancelled")} before the step started: {job.LastError}"), cancellationToken).ConfigureAwait(false);
                    if (failed is not null)
                    {
                        steps[step.Name] = failed;
                    }

                    continue;
                }

                queued = true;
            }
        }

        if (queued)
        {
            _signal?.Pulse();
        }

        if (steps.Values.All(s => PipelineTransitions.IsFinal(s.State)))
        {
            return await FinishAsync(run, steps.Values, cancellationToken).ConfigureAwait(false);
        }

        return run;
    }

    private async Task<PipelineRun> TryStartAsync(PipelineRun run, ParsedPipeline parsed, CancellationToken cancellationToken)
    {
        // A cheap look first, so a run that must wait does not get an MLflow run it would discard; with a
        // high limit the look would cost more than the rare discard, and the store's check decides anyway.
        if (parsed.Definition.Concurrency <= 16)
        {
            var running = await _store.ListRunsAsync(new PipelineRunQuery(run.Pipeline, [PipelineRunState.Running], null, parsed.Definition.Concurrency), cancellationToken).ConfigureAwait(false);
            if (running.Count >= parsed.Definition.Concurrency)
            {
                return run;
            }
        }

        var mlflowRun = await StartTrackingAsync(run, cancellationToken).ConfigureAwait(false);
        var started = await _store.TryStartRunAsync(run.Id, parsed.Definition.Concurrency, mlflowRun, cancellationToken).ConfigureAwait(false);
        if (started.State != PipelineRunState.Running || started.MlflowRunId != mlflowRun)
        {
            // Another replica took the slot (or started this run) between the count and the start.
            await DiscardTrackingAsync(mlflowRun, cancellationToken).ConfigureAwait(false);
        }

        return started;
    }

    private async Task<PipelineRun> FinishAsync(PipelineRun run, IEnumerable<StepRun> steps, CancellationToken cancellationToken)
    {
        var failed = steps.Where(s => s.State is StepRunState.Failed or StepRunState.Cancelled).Select(s => s.Step).ToList();
        var state = failed.Count == 0 ? PipelineRunState.Succeeded : PipelineRunState.Failed;
        PipelineRun finished;
        try
        {
            finished = await _store.FinishRunAsync(run.Id, state, failed.Count == 0 ? null : $"step(s) {string.Join(", ", failed)} failed", cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
        {
            // Another replica ended it first.
            return await _store.GetRunAsync(run.Id, cancellationToken).ConfigureAwait(false) ?? run;
        }

        await EndTrackingAsync(finished.MlflowRunId, state == PipelineRunState.Succeeded ? "FINISHED" : "FAILED", cancellationToken).ConfigureAwait(false);
        await StartWaitingAsync(run.Pipeline, cancellationToken).ConfigureAwait(false);
        return finished;
    }

    /// <summary>Starts the oldest queued runs of a pipeline while its limit allows (after a run ends).</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task StartWaitingAsync(string pipeline, CancellationToken cancellationToken)
    {
        var waiting = await _store.ListRunsAsync(new PipelineRunQuery(pipeline, [PipelineRunState.Queued], null, 1000), cancellationToken).ConfigureAwait(false);
        foreach (var next in waiting.OrderBy(r => r.Id))
        {
            var after = await AdvanceAsync(next.Id, cancellationToken).ConfigureAwait(false);
            if (after?.State == PipelineRunState.Queued)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Cancels a run: it and its unfinished steps end as cancelled, and the jobs of running steps are
    /// cancelled so their workers stop.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="reason">Why, kept on the run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<PipelineRun> CancelAsync(long runId, string? reason, CancellationToken cancellationToken)
    {
        var run = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw KeelException.NotFound($"Pipeline run {runId} does not exist.");
        if (PipelineTransitions.IsFinal(run.State))
        {
            throw new KeelException(ErrorCode.ResourceConflict, $"Pipeline run {runId} already ended ({PipelineTransitions.Name(run.State)}); only a queued or running run can be cancelled.");
        }

        var steps = await _store.GetStepsAsync(runId, cancellationToken).ConfigureAwait(false);
        var cancelled = await _store.FinishRunAsync(runId, PipelineRunState.Cancelled, reason ?? "cancelled", cancellationToken).ConfigureAwait(false);
        foreach (var step in steps.Where(s => s.JobId is not null && !PipelineTransitions.IsFinal(s.State)))
        {
            try
            {
                await _queue.CancelAsync(step.JobId!.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException e) when (e.Code is ErrorCode.ResourceConflict or ErrorCode.ResourceDoesNotExist)
            {
                // The job already ended; nothing runs.
            }
        }

        await EndTrackingAsync(cancelled.MlflowRunId, "KILLED", cancellationToken).ConfigureAwait(false);
        await StartWaitingAsync(run.Pipeline, cancellationToken).ConfigureAwait(false);
        return cancelled;
    }

    private async Task<StepRun?> TryUpdateAsync(StepUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.UpdateStepAsync(update, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
        {
            return null;
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The payload of a step's job.</summary>
    internal static class StepJob
    {
        public static string Payload(long runId, string step) => JsonSerializer.Serialize(new Dictionary<string, object> { ["run_id"] = runId, ["step"] = step });

        public static (long RunId, string Step) Read(string payload)
        {
            using var doc = JsonDocument.Parse(payload);
            return (doc.RootElement.GetProperty("run_id").GetInt64(), doc.RootElement.GetProperty("step").GetString()!);
        }
    }
}
