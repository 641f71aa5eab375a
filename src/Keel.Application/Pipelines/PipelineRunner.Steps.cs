using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Pipelines;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Tracking;

namespace Keel.Application.Pipelines;

public sealed partial class PipelineRunner
{
    /// <summary>
    /// Runs one step as its job's handler: a cache hit records the step cached; otherwise it runs the
    /// step type (with the step's timeout), records the outputs and the cache entry, and advances the
    /// run. A failure with retries left puts the step back in the queue and throws, so the job queue
    /// retries it after its backoff; the last failure fails the step (and so the run).
    /// </summary>
    /// <param name="job">The step's leased job.</param>
    /// <param name="cancellationToken">Cancelled when the worker stops or loses the lease.</param>
    public async Task<string?> ExecuteStepAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (runId, stepName) = StepJob.Read(job.Payload);
        var run = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null || PipelineTransitions.IsFinal(run.State))
        {
            return null;
        }

        var parsed = await LoadAsync(run.Pipeline, run.PipelineVersion, cancellationToken).ConfigureAwait(false);
        var step = parsed.Step(stepName);
        var type = _catalog.Require(step.Name, step.Type);
        var steps = (await _store.GetStepsAsync(runId, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Step, StringComparer.Ordinal);
        var current = steps[stepName];
        if (PipelineTransitions.IsFinal(current.State))
        {
            return null;
        }

        var log = new StepLogBuffer(_store, runId, stepName, current.Attempt + 1);
        if (current.State == StepRunState.Running)
        {
            log.Write($"try {current.Attempt} was lost with its worker; taking over as try {current.Attempt + 1}");
        }

        Prepared context;
        string? key = null, material = null;
        try
        {
            context = await ContextAsync(run, parsed, step, steps, current.Attempt + 1, log, cancellationToken).ConfigureAwait(false);
            if (type.Cacheable && step.Cache)
            {
                material = StepCacheKey.Material(type.Name, type.Version, context.Step.Params, context.Identities, await type.CacheMaterialAsync(context.Step, cancellationToken).ConfigureAwait(false));
                key = StepCacheKey.Of(material);
            }
        }
        catch (KeelException e) when (e.Code is ErrorCode.InvalidParameterValue or ErrorCode.ResourceDoesNotExist)
        {
            // The step cannot start (an input that does not resolve, a template without a value): retrying would not help.
            log.Write($"cannot start: {e.Message}");
            await log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await TryUpdateAsync(new StepUpdate(runId, stepName, current.State, current.Attempt, StepRunState.Failed, JobId: job.Id, Error: e.Message), CancellationToken.None).ConfigureAwait(false);
            await AdvanceAsync(runId, CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        if (key is not null)
        {
            if (current.State == StepRunState.Queued && await _store.FindCacheAsync(key, cancellationToken).ConfigureAwait(false) is { } hit)
            {
                var outputs = hit.Outputs.Where(o => o.Key != StepCacheKey.MaterialOutput).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
                var cached = await TryUpdateAsync(
                    new StepUpdate(runId, stepName, StepRunState.Queued, current.Attempt, StepRunState.Cached, CacheKey: key, CachedFrom: hit.RunId, Outputs: outputs, JobId: job.Id),
                    cancellationToken).ConfigureAwait(false);
                if (cached is not null)
                {
                    log.Write($"cache hit {key[..19]}…: outputs reused from run {hit.RunId}");
                    await log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    await AdvanceAsync(runId, CancellationToken.None).ConfigureAwait(false);
                }

                return null;
            }
        }

        var attempt = current.Attempt + 1;
        var mlflowRun = await StartStepTrackingAsync(run, step, attempt, cancellationToken).ConfigureAwait(false);
        var started = await TryUpdateAsync(
            new StepUpdate(runId, stepName, current.State, current.Attempt, StepRunState.Running, Attempt: attempt, CacheKey: key, MlflowRunId: mlflowRun, JobId: job.Id),
            cancellationToken).ConfigureAwait(false);
        if (started is null)
        {
            // The run ended or another try moved the step on meanwhile: this try has nothing to do.
            await DiscardTrackingAsync(mlflowRun, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var stepContext = context.Step with { MlflowRunId = mlflowRun, Attempt = attempt };
        await LogInputsAsync(mlflowRun, stepContext, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(stepContext.WorkDirectory))
        {
            Directory.Delete(stepContext.WorkDirectory, recursive: true);
        }

        Directory.CreateDirectory(stepContext.WorkDirectory);
        StepOutcome outcome;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(step.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : _options.StepTimeout);
        // A change the step makes that needs approval makes it wait (waiting_for_approval) and resume once approved.
        var approvals = new Governance.StepApprovalWait(
            async (a, ct) =>
            {
                log.Write($"waiting for approval {a.Id}: {a.Action} on '{a.Resource}' in {a.Environment} needs someone other than {a.Requester} to approve it (keel approvals approve {a.Id})");
                await log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                await TryUpdateAsync(new StepUpdate(runId, stepName, StepRunState.Running, attempt, StepRunState.WaitingForApproval, Error: $"waiting for approval {a.Id}"), ct).ConfigureAwait(false);
            },
            async (a, ct) =>
            {
                log.Write($"approval {a.Id} {Core.Governance.ApprovalTransitions.Name(a.State)}" + (a.DecidedBy is { } by ? $" by {by}" : string.Empty));
                await TryUpdateAsync(new StepUpdate(runId, stepName, StepRunState.WaitingForApproval, attempt, StepRunState.Running), CancellationToken.None).ConfigureAwait(false);
            });
        try
        {
            log.Write($"try {attempt}: running {step.Type}");
            using (Governance.StepApprovalWait.Enter(approvals))
            {
                outcome = await type.RunAsync(stepContext, timeout.Token).ConfigureAwait(false);
            }

            CheckOutputs(type, step, outcome);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is stopping or lost the job: the next holder takes the step over.
            log.Write($"try {attempt} interrupted (worker stopping or job cancelled)");
            await log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = timeout.IsCancellationRequested
                ? $"timed out after {(step.TimeoutSeconds is { } s ? s : (int)_options.StepTimeout.TotalSeconds)} s"
                : e is KeelException k ? $"{k.Code}: {k.Message}" : $"{e.GetType().Name}: {e.Message}";
            log.Write($"try {attempt} failed: {message}");
            await approvals.SettleAsync(false, $"pipeline run {runId} step '{stepName}' failed: {message}").ConfigureAwait(false);
            if (e is not KeelException && e is not StepRetryException && !timeout.IsCancellationRequested)
            {
                // An unexpected error: the stack goes to the step's log (not the run's error) for whoever debugs the step type.
                log.Write(e.ToString());
            }
            await log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await EndTrackingAsync(mlflowRun, "FAILED", CancellationToken.None).ConfigureAwait(false);
            if (attempt <= step.Retries)
            {
                var requeued = await TryUpdateAsync(new StepUpdate(runId, stepName, StepRunState.Running, attempt, StepRunState.Queued, Error: message), CancellationToken.None).ConfigureAwait(false);
                if (requeued is not null)
                {
                    throw new StepRetryException($"step '{stepName}' try {attempt} failed ({message}); {step.Retries - attempt + 1} retr{(step.Retries - attempt + 1 == 1 ? "y" : "ies")} left");
                }

                return null;
            }

            await TryUpdateAsync(new StepUpdate(runId, stepName, StepRunState.Running, attempt, StepRunState.Failed, Error: message), CancellationToken.None).ConfigureAwait(false);
            await AdvanceAsync(runId, CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        var succeeded = await TryUpdateAsync(new StepUpdate(runId, stepName, StepRunState.Running, attempt, StepRunState.Succeeded, Outputs: outcome.Outputs), CancellationToken.None).ConfigureAwait(false);
        await approvals.SettleAsync(true, $"made by pipeline run {runId} step '{stepName}'").ConfigureAwait(false);
        if (key is not null && succeeded is not null)
        {
            // Only a recorded outcome is cached: a try refused by its fence (taken over, or its run
            // cancelled) must not serve later runs outputs its own run never kept. A crash between
            // the two writes costs a cache miss, never a stale hit.
            var stored = new Dictionary<string, string>(outcome.Outputs, StringComparer.Ordinal) { [StepCacheKey.MaterialOutput] = material! };
            await _store.PutCacheAsync(new StepCacheEntry(key, run.Pipeline, stepName, runId, stored, Now()), CancellationToken.None).ConfigureAwait(false);
        }

        log.Write(succeeded is null ? $"try {attempt} finished but the step had moved on; outcome not recorded" : $"try {attempt} succeeded");
        await log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await LogOutcomeAsync(mlflowRun, outcome, CancellationToken.None).ConfigureAwait(false);
        await EndTrackingAsync(mlflowRun, "FINISHED", CancellationToken.None).ConfigureAwait(false);
        await AdvanceAsync(runId, CancellationToken.None).ConfigureAwait(false);
        return null;
    }

    private static void CheckOutputs(IStepType type, StepDefinition step, StepOutcome outcome)
    {
        foreach (var output in type.OutputsOf(step))
        {
            if (!outcome.Outputs.ContainsKey(output.Name))
            {
                throw KeelException.InvalidParameter($"step type '{type.Name}' did not produce output '{output.Name}'");
            }
        }
    }

    /// <summary>What a step's context and cache key are made of.</summary>
    private sealed record Prepared(StepContext Step, IReadOnlyDictionary<string, string> Identities);

    private Task<Prepared> ContextAsync(
        PipelineRun run, ParsedPipeline parsed, StepDefinition step, IReadOnlyDictionary<string, StepRun> steps, int attempt, StepLogBuffer log, CancellationToken cancellationToken) =>
        ContextAsync(run.Id, run.Pipeline, run.Parameters, step, (up, output) => steps[up].Outputs.GetValueOrDefault(output), attempt, log.Write, cancellationToken);

    private async Task<Prepared> ContextAsync(
        long runId, string pipeline, IReadOnlyDictionary<string, string> runParameters, StepDefinition step, Func<string, string, string?> upstreamOutput, int attempt,
        Action<string> log, CancellationToken cancellationToken)
    {
        var type = _catalog.Require(step.Name, step.Type);

        // Scopes the type fills in itself (command's inputs and outputs) are left as written.
        string? Lookup(string scope, string name) =>
            scope == "params" ? runParameters.GetValueOrDefault(name) : type.ParamScopes.Contains(scope) ? $"${{{scope}.{name}}}" : null;
        var parameters = Templates.Expand(step.Params, Lookup, $"steps.{step.Name}.params");
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var identities = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in step.Inputs)
        {
            if (Templates.StepReference(value) is { } reference)
            {
                var produced = upstreamOutput(reference.Step, reference.Output)
                    ?? throw KeelException.InvalidParameter($"Step '{step.Name}' input '{name}': step '{reference.Step}' recorded no output '{reference.Output}'.");
                inputs[name] = produced;
                identities[name] = $"{reference.Step}.{reference.Output}={produced}";
            }
            else
            {
                var kind = type.InputsOf(step).First(i => i.Name == name).Kind;
                var pinned = await _resolver.ResolveAsync(Templates.Expand(value, Lookup, $"steps.{step.Name}.inputs.{name}"), kind, cancellationToken).ConfigureAwait(false);
                inputs[name] = pinned.Value;
                identities[name] = pinned.Identity;
            }
        }

        var work = Path.Combine(_options.WorkRoot, runId.ToString(System.Globalization.CultureInfo.InvariantCulture), step.Name);
        return new Prepared(new StepContext(runId, pipeline, step, parameters, inputs, runParameters, null, attempt, work, log), identities);
    }

    private async Task<string> ExperimentAsync(string pipeline, CancellationToken cancellationToken)
    {
        var name = $"pipelines/{pipeline}";
        if (_experiments.TryGetValue(name, out var id))
        {
            return id;
        }

        try
        {
            id = (await _tracking!.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)).ExperimentId;
        }
        catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
        {
            try
            {
                id = await _tracking!.CreateExperimentAsync(name, null, [new Tag("keel.pipeline", pipeline)], cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException again) when (again.Code == ErrorCode.ResourceAlreadyExists)
            {
                id = (await _tracking!.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)).ExperimentId;
            }
        }

        return _experiments.GetOrAdd(name, id);
    }

    private async Task<string?> StartTrackingAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        if (_tracking is null)
        {
            return null;
        }

        var experiment = await ExperimentAsync(run.Pipeline, cancellationToken).ConfigureAwait(false);
        List<Tag> tags =
        [
            new("keel.pipeline", run.Pipeline),
            new("keel.pipeline.run_id", Invariant(run.Id)),
            new("keel.pipeline.version", Invariant(run.PipelineVersion)),
            new("keel.pipeline.trigger", run.Trigger.Kind + (run.Trigger.Name is null ? string.Empty : ":" + run.Trigger.Name)),
            new("mlflow.source.type", "PIPELINE"),
            new("mlflow.source.name", $"keel pipeline {run.Pipeline}"),
        ];
        var created = await _tracking.CreateRunAsync(experiment, run.Trigger.Actor ?? "keel", $"{run.Pipeline}-{run.Id}", null, tags, cancellationToken).ConfigureAwait(false);
        if (run.Parameters.Count > 0)
        {
            await _tracking.LogBatchAsync(created.Info.RunId, [], [.. run.Parameters.Select(p => new Param(p.Key, Clip(p.Value)))], [], cancellationToken).ConfigureAwait(false);
        }

        return created.Info.RunId;
    }

    private async Task<string?> StartStepTrackingAsync(PipelineRun run, StepDefinition step, int attempt, CancellationToken cancellationToken)
    {
        if (_tracking is null || run.MlflowRunId is null)
        {
            return null;
        }

        var experiment = await ExperimentAsync(run.Pipeline, cancellationToken).ConfigureAwait(false);
        List<Tag> tags =
        [
            new("mlflow.parentRunId", run.MlflowRunId),
            new("keel.pipeline", run.Pipeline),
            new("keel.pipeline.run_id", Invariant(run.Id)),
            new("keel.pipeline.step", step.Name),
            new("keel.pipeline.step_type", step.Type),
            new("keel.pipeline.attempt", Invariant(attempt)),
        ];
        var created = await _tracking.CreateRunAsync(experiment, run.Trigger.Actor ?? "keel", attempt == 1 ? step.Name : $"{step.Name} (try {attempt})", null, tags, cancellationToken).ConfigureAwait(false);
        return created.Info.RunId;
    }

    private async Task LogInputsAsync(string? mlflowRun, StepContext context, CancellationToken cancellationToken)
    {
        if (_tracking is null || mlflowRun is null || context.Inputs.Count == 0)
        {
            return;
        }

        await _tracking.LogBatchAsync(mlflowRun, [], [.. context.Inputs.Select(i => new Param($"input.{i.Key}", Clip(i.Value)))], [], cancellationToken).ConfigureAwait(false);
    }

    private async Task LogOutcomeAsync(string? mlflowRun, StepOutcome outcome, CancellationToken cancellationToken)
    {
        if (_tracking is null || mlflowRun is null)
        {
            return;
        }

        var now = Now();
        var metrics = (outcome.Metrics ?? new Dictionary<string, double>()).Where(m => double.IsFinite(m.Value)).Select(m => new Metric(m.Key, m.Value, now, 0)).ToList();
        var tags = outcome.Outputs.Select(o => new Tag($"keel.output.{o.Key}", Clip(o.Value))).ToList();
        await _tracking.LogBatchAsync(mlflowRun, metrics, [], tags, cancellationToken).ConfigureAwait(false);
    }

    private async Task EndTrackingAsync(string? mlflowRun, string status, CancellationToken cancellationToken)
    {
        if (_tracking is null || mlflowRun is null)
        {
            return;
        }

        await _tracking.UpdateRunAsync(mlflowRun, status, Now(), null, cancellationToken).ConfigureAwait(false);
    }

    private async Task DiscardTrackingAsync(string? mlflowRun, CancellationToken cancellationToken)
    {
        if (_tracking is null || mlflowRun is null)
        {
            return;
        }

        await _tracking.DeleteRunAsync(mlflowRun, cancellationToken).ConfigureAwait(false);
    }

    private static string Clip(string value) => value.Length > 6000 ? value[..6000] : value;
}
