using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Pipelines;

namespace Keel.Core.Wire;

/// <summary>
/// Maps the pipeline store's records between the domain and the wire, one way for the server and
/// the SDK. Reading an answer (<c>From...</c>) trusts the server; requests are checked by the
/// server's rules instead.
/// </summary>
public static class PipelineStoreWire
{
    /// <summary>The wire form of a pipeline.</summary>
    /// <param name="p">The pipeline.</param>
    public static PipelineMessage ToMessage(Pipeline p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new PipelineMessage { Name = p.Name, Version = p.Version, Source = p.Source, Hash = p.Hash, CreatedAt = p.CreatedAt, UpdatedAt = p.UpdatedAt };
    }

    /// <summary>A pipeline from a server's answer.</summary>
    /// <param name="m">The wire form.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when a field is missing.</exception>
    public static Pipeline FromMessage(PipelineMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new Pipeline(
            m.Name ?? throw Malformed("pipeline.name"), m.Version ?? throw Malformed("pipeline.version"), m.Source ?? throw Malformed("pipeline.source"),
            m.Hash ?? throw Malformed("pipeline.hash"), m.CreatedAt ?? throw Malformed("pipeline.created_at"), m.UpdatedAt ?? throw Malformed("pipeline.updated_at"));
    }

    /// <summary>The wire form of a trigger.</summary>
    /// <param name="t">The trigger.</param>
    public static PipelineTriggerMessage ToMessage(PipelineTrigger t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new PipelineTriggerMessage { Kind = t.Kind, Name = t.Name, Detail = t.Detail, Actor = t.Actor };
    }

    /// <summary>The wire form of a lease fence, or null for none.</summary>
    /// <param name="fence">The fence.</param>
    public static LeaseFenceMessage? ToMessage(LeaseFence? fence) =>
        fence is null ? null : new LeaseFenceMessage { Name = fence.Name, Holder = fence.Holder, Epoch = fence.Epoch };

    /// <summary>The wire form of a run.</summary>
    /// <param name="r">The run.</param>
    public static PipelineRunMessage ToMessage(PipelineRun r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new PipelineRunMessage
        {
            Id = r.Id, Pipeline = r.Pipeline, PipelineVersion = r.PipelineVersion, State = PipelineTransitions.Name(r.State), Trigger = ToMessage(r.Trigger),
            Parameters = new(r.Parameters), DedupeKey = r.DedupeKey, MlflowRunId = r.MlflowRunId, CreatedAt = r.CreatedAt, StartedAt = r.StartedAt,
            FinishedAt = r.FinishedAt, Error = r.Error, Version = r.Version,
        };
    }

    /// <summary>A run from a server's answer.</summary>
    /// <param name="m">The wire form.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when a field is missing.</exception>
    public static PipelineRun FromMessage(PipelineRunMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var t = m.Trigger ?? throw Malformed("run.trigger");
        return new PipelineRun(
            m.Id ?? throw Malformed("run.id"), m.Pipeline ?? throw Malformed("run.pipeline"), m.PipelineVersion ?? throw Malformed("run.pipeline_version"),
            PipelineTransitions.ParseRunState(m.State) ?? throw Malformed("run.state"),
            new PipelineTrigger(t.Kind ?? throw Malformed("run.trigger.kind"), t.Name, t.Detail, t.Actor),
            m.Parameters ?? [], m.DedupeKey, m.MlflowRunId, m.CreatedAt ?? throw Malformed("run.created_at"), m.StartedAt, m.FinishedAt, m.Error,
            m.Version ?? throw Malformed("run.version"));
    }

    /// <summary>The wire form of a step.</summary>
    /// <param name="s">The step.</param>
    public static StepRunMessage ToMessage(StepRun s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new StepRunMessage
        {
            RunId = s.RunId, Step = s.Step, State = PipelineTransitions.Name(s.State), Attempt = s.Attempt, CacheKey = s.CacheKey, CachedFrom = s.CachedFrom,
            Outputs = new(s.Outputs), MlflowRunId = s.MlflowRunId, JobId = s.JobId, StartedAt = s.StartedAt, FinishedAt = s.FinishedAt, Error = s.Error, Version = s.Version,
        };
    }

    /// <summary>A step from a server's answer.</summary>
    /// <param name="m">The wire form.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when a field is missing.</exception>
    public static StepRun FromMessage(StepRunMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new StepRun(
            m.RunId ?? throw Malformed("step.run_id"), m.Step ?? throw Malformed("step.step"), PipelineTransitions.ParseStepState(m.State) ?? throw Malformed("step.state"),
            m.Attempt ?? throw Malformed("step.attempt"), m.CacheKey, m.CachedFrom, m.Outputs ?? [], m.MlflowRunId, m.JobId, m.StartedAt, m.FinishedAt, m.Error,
            m.Version ?? throw Malformed("step.version"));
    }

    /// <summary>The wire form of a step change.</summary>
    /// <param name="u">The change.</param>
    public static UpdateStepRequest ToMessage(StepUpdate u)
    {
        ArgumentNullException.ThrowIfNull(u);
        return new UpdateStepRequest
        {
            From = PipelineTransitions.Name(u.From), ExpectedAttempt = u.ExpectedAttempt, To = PipelineTransitions.Name(u.To), Attempt = u.Attempt, CacheKey = u.CacheKey,
            CachedFrom = u.CachedFrom, Outputs = u.Outputs is null ? null : new(u.Outputs), MlflowRunId = u.MlflowRunId, JobId = u.JobId, Error = u.Error,
        };
    }

    /// <summary>The wire form of a log line.</summary>
    /// <param name="l">The line.</param>
    public static StepLogLineMessage ToMessage(StepLogLine l)
    {
        ArgumentNullException.ThrowIfNull(l);
        return new StepLogLineMessage { Seq = l.Seq, RunId = l.RunId, Step = l.Step, Attempt = l.Attempt, At = l.At, Line = l.Line };
    }

    /// <summary>A log line from a server's answer.</summary>
    /// <param name="m">The wire form.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when a field is missing.</exception>
    public static StepLogLine FromMessage(StepLogLineMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new StepLogLine(
            m.Seq ?? throw Malformed("line.seq"), m.RunId ?? throw Malformed("line.run_id"), m.Step ?? throw Malformed("line.step"),
            m.Attempt ?? throw Malformed("line.attempt"), m.At ?? throw Malformed("line.at"), m.Line ?? throw Malformed("line.line"));
    }

    /// <summary>The wire form of a cache entry.</summary>
    /// <param name="e">The entry.</param>
    public static StepCacheEntryMessage ToMessage(StepCacheEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new StepCacheEntryMessage { Key = e.Key, Pipeline = e.Pipeline, Step = e.Step, RunId = e.RunId, Outputs = new(e.Outputs), CreatedAt = e.CreatedAt };
    }

    /// <summary>A cache entry from a server's answer.</summary>
    /// <param name="m">The wire form.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when a field is missing.</exception>
    public static StepCacheEntry FromMessage(StepCacheEntryMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new StepCacheEntry(
            m.Key ?? throw Malformed("entry.key"), m.Pipeline ?? throw Malformed("entry.pipeline"), m.Step ?? throw Malformed("entry.step"),
            m.RunId ?? throw Malformed("entry.run_id"), m.Outputs ?? [], m.CreatedAt ?? throw Malformed("entry.created_at"));
    }

    /// <summary>The wire form of a feed entry.</summary>
    /// <param name="e">The entry.</param>
    public static PipelineEventMessage ToMessage(PipelineEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new PipelineEventMessage { Seq = e.Seq, RunId = e.RunId, Pipeline = e.Pipeline, Step = e.Step, State = e.State, Message = e.Message, At = e.At };
    }

    /// <summary>A feed entry from a server's answer.</summary>
    /// <param name="m">The wire form.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when a field is missing.</exception>
    public static PipelineEvent FromMessage(PipelineEventMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new PipelineEvent(
            m.Seq ?? throw Malformed("event.seq"), m.RunId ?? throw Malformed("event.run_id"), m.Pipeline ?? throw Malformed("event.pipeline"),
            m.Step, m.State ?? throw Malformed("event.state"), m.Message, m.At ?? throw Malformed("event.at"));
    }

    /// <summary>The wire form of a trigger's state.</summary>
    /// <param name="s">The state.</param>
    public static TriggerStateMessage ToMessage(TriggerState s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new TriggerStateMessage
        {
            Pipeline = s.Pipeline, Trigger = s.Trigger, Cursor = s.Cursor, PendingUntil = s.PendingUntil, PendingDetail = s.PendingDetail, Fired = s.Fired, UpdatedAt = s.UpdatedAt,
        };
    }

    /// <summary>A trigger's state from a server's answer.</summary>
    /// <param name="m">The wire form.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when a field is missing.</exception>
    public static TriggerState FromMessage(TriggerStateMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new TriggerState(
            m.Pipeline ?? throw Malformed("trigger.pipeline"), m.Trigger ?? throw Malformed("trigger.trigger"), m.Cursor, m.PendingUntil, m.PendingDetail,
            m.Fired ?? throw Malformed("trigger.fired"), m.UpdatedAt ?? throw Malformed("trigger.updated_at"));
    }

    private static KeelException Malformed(string field) =>
        new(ErrorCode.InternalError, $"The server's pipeline store answer has no valid {field}.");
}
