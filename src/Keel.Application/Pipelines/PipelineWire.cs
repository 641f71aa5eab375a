using Keel.Core.Pipelines;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Wire;

namespace Keel.Application.Pipelines;

/// <summary>Maps pipelines, runs and plans to the wire shapes of the pipelines API.</summary>
public static class PipelineWire
{
    /// <summary>A pipeline version.</summary>
    /// <param name="parsed">The parsed version.</param>
    public static PipelineInfo Info(ParsedPipeline parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var d = parsed.Definition;
        return new PipelineInfo
        {
            Name = parsed.Stored.Name,
            Version = parsed.Stored.Version,
            Hash = parsed.Stored.Hash,
            Description = d.Description,
            Params = new Dictionary<string, string?>(d.Parameters),
            Concurrency = d.Concurrency,
            DedupeKey = d.DedupeKey,
            Steps = [.. parsed.Order.Select(s => new PipelineStepInfo
            {
                Name = s.Name, Type = s.Type, Upstream = [.. PipelineValidator.Upstream(s).Distinct(StringComparer.Ordinal)], Retries = s.Retries, TimeoutSeconds = s.TimeoutSeconds,
            })],
            Triggers = [.. d.Triggers.Select(t => new PipelineTriggerInfo { Name = t.Name, Kind = t.Kind, Summary = Summary(t) })],
            Definition = parsed.Stored.Source,
            CreatedAt = parsed.Stored.CreatedAt,
            UpdatedAt = parsed.Stored.UpdatedAt,
        };
    }

    /// <summary>A trigger in words.</summary>
    /// <param name="t">The trigger.</param>
    public static string Summary(TriggerDefinition t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var debounce = t.DebounceSeconds > 0 ? $", debounced {t.DebounceSeconds} s" : string.Empty;
        return t.Kind switch
        {
            "schedule" => $"cron '{t.Cron}' in {t.TimeZone ?? "UTC"}, catch-up {t.CatchUp}{debounce}",
            "dataset" => $"a new version of dataset '{t.Dataset}'{debounce}",
            "alert" => $"{(t.AlertRule is null ? "any alert" : $"alert rule '{t.AlertRule}'")}{(t.Endpoint is null ? string.Empty : $" on endpoint '{t.Endpoint}'")} firing{(t.Severity is null ? string.Empty : $" at {t.Severity} or worse")}{debounce}",
            "registry" => $"{t.RegistryEvent?.Replace('_', ' ')} on model '{t.Model}'{(t.Alias is null ? string.Empty : $" (alias {t.Alias})")}{debounce}",
            _ => t.Kind,
        };
    }

    /// <summary>A run.</summary>
    /// <param name="run">The run.</param>
    public static PipelineRunInfo Info(PipelineRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new PipelineRunInfo
        {
            RunId = run.Id,
            Pipeline = run.Pipeline,
            PipelineVersion = run.PipelineVersion,
            State = PipelineTransitions.Name(run.State),
            TriggerKind = run.Trigger.Kind,
            TriggerName = run.Trigger.Name,
            TriggerDetail = run.Trigger.Detail,
            Actor = run.Trigger.Actor,
            Params = new Dictionary<string, string>(run.Parameters),
            DedupeKey = run.DedupeKey,
            MlflowRunId = run.MlflowRunId,
            CreatedAt = run.CreatedAt,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            Error = run.Error,
        };
    }

    /// <summary>A step of a run.</summary>
    /// <param name="step">The step's run.</param>
    /// <param name="definition">The step as defined.</param>
    public static StepRunInfo Info(StepRun step, StepDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(definition);
        return new StepRunInfo
        {
            Step = step.Step,
            Type = definition.Type,
            State = PipelineTransitions.Name(step.State),
            Attempt = step.Attempt,
            CacheKey = step.CacheKey,
            CachedFrom = step.CachedFrom,
            Outputs = new Dictionary<string, string>(step.Outputs),
            MlflowRunId = step.MlflowRunId,
            JobId = step.JobId,
            StartedAt = step.StartedAt,
            FinishedAt = step.FinishedAt,
            Error = step.Error,
            Upstream = [.. PipelineValidator.Upstream(definition).Distinct(StringComparer.Ordinal)],
        };
    }

    /// <summary>A planned step.</summary>
    /// <param name="step">The plan's step.</param>
    public static PlannedStepInfo Info(PlannedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new PlannedStepInfo
        {
            Step = step.Step, Type = step.Type, Action = step.Action, Reason = step.Reason, CacheKey = step.CacheKey, CachedFrom = step.CachedFrom, Changes = [.. step.Changes],
        };
    }
}
