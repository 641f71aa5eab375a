using System.Security.Cryptography;
using System.Text;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Pipelines;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Wire;

namespace Keel.Application.Pipelines;

/// <summary>
/// The pipelines use cases (apply, list, show, run, plan, runs, logs, cancel, events) with every
/// argument checked once here, for the REST API and for the CLI on the embedded store alike.
/// </summary>
/// <param name="runner">The runner over the store and queue.</param>
/// <param name="actor">Who a manual run is recorded as started by, when the caller does not say.</param>
public sealed class PipelineService(PipelineRunner runner, Func<string?>? actor = null) : IPipelineApi
{
    private IPipelineStore Store => runner.Store;

    /// <summary>The runner.</summary>
    public PipelineRunner Runner => runner;

    /// <inheritdoc />
    public async Task<ApplyPipelineResponse> ApplyPipelineAsync(string definition, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(definition))
        {
            throw KeelException.InvalidParameter("Field 'definition' is required: the pipeline definition as YAML or JSON text.");
        }

        if (expectedVersion is < 0)
        {
            throw KeelException.InvalidParameter("Field 'expected_version' must be 0 (a new pipeline) or a version number.");
        }

        var parsed = PipelineDefinitionParser.Parse(definition);
        PipelineValidator.Validate(parsed, runner.Catalog);
        var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PipelineDocument.ToJson(parsed, indented: false))));
        var previous = await Store.GetPipelineAsync(parsed.Name, null, cancellationToken).ConfigureAwait(false);
        var (stored, changed) = await Store.PutPipelineAsync(parsed.Name, definition, hash, expectedVersion, cancellationToken).ConfigureAwait(false);
        var loaded = await runner.LoadAsync(stored.Name, stored.Version, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            // Before and after: the definitions as the API shows them (with their triggers).
            var before = previous is null ? null : InfoJson(PipelineWire.Info(await runner.LoadAsync(previous.Name, previous.Version, cancellationToken).ConfigureAwait(false)));
            await runner.Audit.ReportAsync(actor?.Invoke(), "pipeline.apply", "pipeline", stored.Name, before, InfoJson(PipelineWire.Info(loaded))).ConfigureAwait(false);
        }

        return new ApplyPipelineResponse { Pipeline = PipelineWire.Info(loaded), Changed = changed };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PipelineInfo>> ListPipelinesAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<PipelineInfo>();
        foreach (var pipeline in await Store.ListPipelinesAsync(cancellationToken).ConfigureAwait(false))
        {
            PipelineInfo info;
            try
            {
                info = PipelineWire.Info(await runner.LoadAsync(pipeline.Name, pipeline.Version, cancellationToken).ConfigureAwait(false));
            }
            catch (KeelException e) when (e.Code == ErrorCode.InvalidParameterValue)
            {
                // A stored version this server cannot load (written through the store API, or using a
                // step type only a newer replica knows) must not make the whole list fail: it is shown
                // without steps, saying why.
                info = new PipelineInfo
                {
                    Name = pipeline.Name, Version = pipeline.Version, Hash = pipeline.Hash, CreatedAt = pipeline.CreatedAt, UpdatedAt = pipeline.UpdatedAt,
                    Description = $"This server cannot load version {pipeline.Version}: {e.Message}",
                };
            }

            info.Definition = null;
            list.Add(info);
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<PipelineInfo> GetPipelineAsync(string name, int? version = null, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        if (version is < 1)
        {
            throw KeelException.InvalidParameter("Field 'version' must be 1 or more.");
        }

        return PipelineWire.Info(await runner.LoadAsync(name, version, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<StartPipelineRunResponse> StartPipelineRunAsync(string name, IReadOnlyDictionary<string, string>? parameters = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        if (idempotencyKey is { Length: 0 or > 256 })
        {
            throw KeelException.InvalidParameter("Field 'idempotency_key' must be 1-256 characters.");
        }

        CheckParams(parameters);
        var created = await runner.StartAsync(name, parameters, PipelineTrigger.Manual(actor?.Invoke()), idempotencyKey is null ? null : $"manual:{idempotencyKey}", null, cancellationToken).ConfigureAwait(false);
        return new StartPipelineRunResponse { Run = PipelineWire.Info(created.Run), Created = created.Created };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PlannedStepInfo>> PlanPipelineAsync(string name, IReadOnlyDictionary<string, string>? parameters = null, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        CheckParams(parameters);
        var plan = await runner.PlanAsync(name, parameters, cancellationToken).ConfigureAwait(false);
        return [.. plan.Select(PipelineWire.Info)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PipelineRunInfo>> ListPipelineRunsAsync(string? pipeline = null, string? state = null, long? beforeId = null, int? maxResults = null, CancellationToken cancellationToken = default)
    {
        if (pipeline is not null)
        {
            CheckName(pipeline);
        }

        PipelineRunState[]? states = null;
        if (state is not null)
        {
            states = [PipelineTransitions.ParseRunState(state) ?? throw KeelException.InvalidParameter($"Field 'state' must be one of queued, running, succeeded, failed, cancelled (got '{Clip(state)}').")];
        }

        var runs = await Store.ListRunsAsync(new PipelineRunQuery(pipeline, states, beforeId, Max(maxResults, 100, 1000)), cancellationToken).ConfigureAwait(false);
        return [.. runs.Select(PipelineWire.Info)];
    }

    /// <inheritdoc />
    public async Task<PipelineRunResponse> GetPipelineRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        var run = await RequireRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var parsed = await runner.LoadAsync(run.Pipeline, run.PipelineVersion, cancellationToken).ConfigureAwait(false);
        var steps = (await Store.GetStepsAsync(runId, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Step, StringComparer.Ordinal);
        return new PipelineRunResponse
        {
            Run = PipelineWire.Info(run),
            Steps = [.. parsed.Order.Where(s => steps.ContainsKey(s.Name)).Select(s => PipelineWire.Info(steps[s.Name], s))],
        };
    }

    /// <inheritdoc />
    public async Task<PipelineLogResponse> GetPipelineLogAsync(long runId, string? step = null, long after = 0, int? maxResults = null, CancellationToken cancellationToken = default)
    {
        await RequireRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (after < 0)
        {
            throw KeelException.InvalidParameter("Field 'after' must be 0 or more.");
        }

        if (step is not null)
        {
            // A misspelt step would otherwise read as a step that logged nothing.
            PipelineDefinitionParser.CheckStepName(step, "step");
            if (!(await Store.GetStepsAsync(runId, cancellationToken).ConfigureAwait(false)).Any(s => s.Step == step))
            {
                throw KeelException.NotFound($"Pipeline run {runId} has no step '{step}'.");
            }
        }

        var lines = await Store.ListLogAsync(runId, step, after, Max(maxResults, 1000, 10_000), cancellationToken).ConfigureAwait(false);
        return new PipelineLogResponse
        {
            Lines = [.. lines.Select(l => new StepLogLineInfo { Seq = l.Seq, Step = l.Step, Attempt = l.Attempt, Time = l.At, Line = l.Line })],
            NextAfter = lines.Count > 0 ? lines[^1].Seq : after,
        };
    }

    /// <inheritdoc />
    public async Task<PipelineRunInfo> CancelPipelineRunAsync(long runId, string? reason = null, CancellationToken cancellationToken = default)
    {
        await RequireRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (reason is { Length: > 1000 })
        {
            throw KeelException.InvalidParameter("Field 'reason' must be at most 1000 characters.");
        }

        var who = actor?.Invoke();
        var before = await Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var cancelled = await runner.CancelAsync(runId, reason ?? (who is null ? "cancelled" : $"cancelled by {who}"), cancellationToken).ConfigureAwait(false);
        await runner.Audit.ReportAsync(who, "pipeline.run.cancel", "pipeline", cancelled.Pipeline, before is null ? null : PipelineRunner.RunJson(before), PipelineRunner.RunJson(cancelled)).ConfigureAwait(false);
        return PipelineWire.Info(cancelled);
    }

    /// <inheritdoc />
    public async Task<PipelineEventsResponse> GetPipelineEventsAsync(long after = 0, long? runId = null, int? maxResults = null, CancellationToken cancellationToken = default)
    {
        if (after < 0)
        {
            throw KeelException.InvalidParameter("Field 'after' must be 0 or more.");
        }

        if (runId is < 1)
        {
            // As in the run routes: a run number is positive, so 0 or less is a mistake, not an empty filter.
            throw KeelException.InvalidParameter("Field 'run_id' must be a positive run number.");
        }

        var events = await Store.ListEventsAsync(after, runId, Max(maxResults, 100, 1000), cancellationToken).ConfigureAwait(false);
        return new PipelineEventsResponse
        {
            Events = [.. events.Select(e => new PipelineEventInfo { Seq = e.Seq, RunId = e.RunId, Pipeline = e.Pipeline, Step = e.Step, State = e.State, Message = e.Message, Time = e.At })],
            NextAfter = events.Count > 0 ? events[^1].Seq : after,
        };
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StepTypeInfo>> ListStepTypesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StepTypeInfo>>([.. runner.Catalog.All.Select(t => new StepTypeInfo { Name = t.Name, Version = t.Version, Summary = t.Summary, Cacheable = t.Cacheable })]);

    private async Task<PipelineRun> RequireRunAsync(long runId, CancellationToken cancellationToken)
    {
        if (runId < 1)
        {
            throw KeelException.InvalidParameter("Field 'run_id' must be a positive run number.");
        }

        return await Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw KeelException.NotFound($"Pipeline run {runId} does not exist.");
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw KeelException.InvalidParameter("Field 'name' is required: the pipeline's name.");
        }

        PipelineDefinitionParser.CheckName(name, "name");
    }

    // JSON lets a parameter's value be null, which the dictionary carries through to the runner.
    private static void CheckParams(IReadOnlyDictionary<string, string>? parameters)
    {
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            if (value is null)
            {
                throw KeelException.InvalidParameter($"Field 'params.{Clip(key)}' must be a string; null is not a parameter value.");
            }
        }
    }

    private static int Max(int? value, int fallback, int limit) => value switch
    {
        null => fallback,
        < 1 => throw KeelException.InvalidParameter($"Field 'max_results' must be between 1 and {limit}."),
        _ when value > limit => throw KeelException.InvalidParameter($"Field 'max_results' must be between 1 and {limit}."),
        _ => value.Value,
    };

    private static string Clip(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static string InfoJson(PipelineInfo info) => System.Text.Json.JsonSerializer.Serialize(info, PipelineApiJson.Default.PipelineInfo);
}
