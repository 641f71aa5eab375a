namespace Keel.Core.Pipelines;

/// <summary>
/// The transition tables of pipeline runs and step runs. A run is queued until a slot under its
/// pipeline's concurrency limit frees, then running until it succeeds, fails or is cancelled; a
/// queued run may be cancelled at once. A step is queued until its upstream steps are done; it is
/// then cached (a hit), or running; a running step succeeds, fails, is cancelled, or goes back to
/// queued for a retry; a running step whose change needs approval waits for it (waiting_for_approval)
/// and runs on when approved, or fails when it is rejected or expires. A queued step is skipped when an upstream step fails or the run ends, and fails
/// without running when it cannot start (an input that does not resolve, its job dead). Final states
/// are never left.
/// </summary>
public static class PipelineTransitions
{
    private static readonly Dictionary<PipelineRunState, PipelineRunState[]> RunMoves = new()
    {
        [PipelineRunState.Queued] = [PipelineRunState.Running, PipelineRunState.Cancelled, PipelineRunState.Failed],
        [PipelineRunState.Running] = [PipelineRunState.Succeeded, PipelineRunState.Failed, PipelineRunState.Cancelled],
        [PipelineRunState.Succeeded] = [],
        [PipelineRunState.Failed] = [],
        [PipelineRunState.Cancelled] = [],
    };

    private static readonly Dictionary<StepRunState, StepRunState[]> StepMoves = new()
    {
        [StepRunState.Queued] = [StepRunState.Running, StepRunState.Cached, StepRunState.Skipped, StepRunState.Cancelled, StepRunState.Failed],
        [StepRunState.Running] = [StepRunState.Running, StepRunState.Succeeded, StepRunState.Failed, StepRunState.Cancelled, StepRunState.Queued, StepRunState.WaitingForApproval],
        [StepRunState.WaitingForApproval] = [StepRunState.Running, StepRunState.Failed, StepRunState.Cancelled],
        [StepRunState.Succeeded] = [],
        [StepRunState.Failed] = [],
        [StepRunState.Cancelled] = [],
        [StepRunState.Skipped] = [],
        [StepRunState.Cached] = [],
    };

    /// <summary>True when the run table allows the move.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The state asked for.</param>
    public static bool IsAllowed(PipelineRunState from, PipelineRunState to) => RunMoves[from].Contains(to);

    /// <summary>True when the step table allows the move (running → running is a new attempt after a lost worker).</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The state asked for.</param>
    public static bool IsAllowed(StepRunState from, StepRunState to) => StepMoves[from].Contains(to);

    /// <summary>True for the run states never left.</summary>
    /// <param name="state">The state.</param>
    public static bool IsFinal(PipelineRunState state) => RunMoves[state].Length == 0;

    /// <summary>True for the step states never left.</summary>
    /// <param name="state">The state.</param>
    public static bool IsFinal(StepRunState state) => StepMoves[state].Length == 0;

    /// <summary>True for the final step states that let downstream steps run (succeeded or cached).</summary>
    /// <param name="state">The state.</param>
    public static bool IsDone(StepRunState state) => state is StepRunState.Succeeded or StepRunState.Cached;

    /// <summary>The stored and wire name of a run state.</summary>
    /// <param name="state">The state.</param>
    public static string Name(PipelineRunState state) => state switch
    {
        PipelineRunState.Queued => "queued",
        PipelineRunState.Running => "running",
        PipelineRunState.Succeeded => "succeeded",
        PipelineRunState.Failed => "failed",
        PipelineRunState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a pipeline run state."),
    };

    /// <summary>The stored and wire name of a step state.</summary>
    /// <param name="state">The state.</param>
    public static string Name(StepRunState state) => state switch
    {
        StepRunState.Queued => "queued",
        StepRunState.Running => "running",
        StepRunState.Succeeded => "succeeded",
        StepRunState.Failed => "failed",
        StepRunState.Cancelled => "cancelled",
        StepRunState.Skipped => "skipped",
        StepRunState.Cached => "cached",
        StepRunState.WaitingForApproval => "waiting_for_approval",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a step state."),
    };

    /// <summary>The run state of a stored or wire name; null when there is none of that name.</summary>
    /// <param name="name">The name.</param>
    public static PipelineRunState? ParseRunState(string? name) => name switch
    {
        "queued" => PipelineRunState.Queued,
        "running" => PipelineRunState.Running,
        "succeeded" => PipelineRunState.Succeeded,
        "failed" => PipelineRunState.Failed,
        "cancelled" => PipelineRunState.Cancelled,
        _ => null,
    };

    /// <summary>The step state of a stored or wire name; null when there is none of that name.</summary>
    /// <param name="name">The name.</param>
    public static StepRunState? ParseStepState(string? name) => name switch
    {
        "queued" => StepRunState.Queued,
        "running" => StepRunState.Running,
        "succeeded" => StepRunState.Succeeded,
        "failed" => StepRunState.Failed,
        "cancelled" => StepRunState.Cancelled,
        "skipped" => StepRunState.Skipped,
        "cached" => StepRunState.Cached,
        "waiting_for_approval" => StepRunState.WaitingForApproval,
        _ => null,
    };
}
