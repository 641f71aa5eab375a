using System.Text.Json.Serialization;

namespace Keel.Core.Serving;

/// <summary>
/// A progressive rollout of a challenger against the endpoint's champion. Immutable: each change
/// returns a new value, checked against <see cref="RolloutStateTransitions"/>.
/// </summary>
/// <param name="Id">Unique id of the rollout.</param>
/// <param name="ChampionUri">Model URI of the version being replaced.</param>
/// <param name="ChallengerUri">Model URI of the version rolled out.</param>
/// <param name="Steps">Challenger shares in percent, increasing, ending at 100.</param>
/// <param name="StepIndex">Index into <paramref name="Steps"/> of the step in progress (or last run).</param>
/// <param name="HoldSeconds">Minimum time per step; null when holds are counted in requests.</param>
/// <param name="HoldRequests">Challenger requests per step; null when holds are timed.</param>
/// <param name="State">Running, or how it ended.</param>
/// <param name="Reason">Why it ended as it did (the breached limit, or the operator's reason); null while running.</param>
/// <param name="StartedAt">Start time, Unix milliseconds.</param>
/// <param name="StepStartedAt">Start of the step in progress, Unix milliseconds.</param>
/// <param name="EndedAt">End time, Unix milliseconds; null while running.</param>
/// <param name="History">Finished steps, oldest first.</param>
public sealed record Rollout(
    string Id,
    string ChampionUri,
    string ChallengerUri,
    IReadOnlyList<int> Steps,
    int StepIndex,
    double? HoldSeconds,
    long? HoldRequests,
    RolloutState State,
    string? Reason,
    long StartedAt,
    long StepStartedAt,
    long? EndedAt,
    IReadOnlyList<RolloutStep> History)
{
    /// <summary>The challenger share of the step in progress.</summary>
    [JsonIgnore]
    public int CurrentPercent => Steps[StepIndex];

    /// <summary>True when the step in progress is the last.</summary>
    [JsonIgnore]
    public bool IsLastStep => StepIndex == Steps.Count - 1;

    /// <summary>Ends the current step as passed and starts the next one.</summary>
    public Rollout Advance(StepComparison comparison, long now)
    {
        State.EnsureCanMoveTo(RolloutState.Running);
        if (IsLastStep)
        {
            throw new Errors.KeelException(Errors.ErrorCode.ResourceConflict, "The rollout is at its last step; promote it instead.");
        }

        return this with
        {
            StepIndex = StepIndex + 1,
            StepStartedAt = now,
            History = [.. History, new RolloutStep(CurrentPercent, "passed", null, StepStartedAt, now, comparison)],
        };
    }

    /// <summary>Ends the rollout with the challenger as the new champion.</summary>
    public Rollout Promote(StepComparison? comparison, string reason, long now) =>
        End(RolloutState.Promoted, "promoted", reason, comparison, now);

    /// <summary>Ends the rollout with the champion restored, recording why.</summary>
    public Rollout RollBack(StepComparison? comparison, string reason, long now) =>
        End(RolloutState.RolledBack, State == RolloutState.Running ? "breached" : "rolled_back", reason, comparison, now);

    /// <summary>Ends the rollout at an operator's request, champion restored.</summary>
    public Rollout Abort(string reason, long now) => End(RolloutState.Aborted, "aborted", reason, null, now);

    private Rollout End(RolloutState to, string outcome, string reason, StepComparison? comparison, long now)
    {
        State.EnsureCanMoveTo(to);
        var step = State == RolloutState.Running
            ? new RolloutStep(CurrentPercent, outcome, reason, StepStartedAt, now, comparison)
            : new RolloutStep(100, outcome, reason, now, now, comparison);
        return this with { State = to, Reason = reason, EndedAt = now, History = [.. History, step] };
    }
}
