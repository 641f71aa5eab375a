namespace Keel.Core.Jobs;

/// <summary>
/// The job transition table. A queued job is leased; a lease ends in success, in a failure that is
/// retried (back to queued) or final (dead), in a release (back to queued, the attempt given back)
/// or in its expiry (leased again by another worker, or dead after the last attempt). Queued and
/// leased jobs can be cancelled. Succeeded, dead and cancelled are final.
/// </summary>
public static class JobStateTransitions
{
    private static readonly Dictionary<JobState, JobState[]> Allowed = new()
    {
        [JobState.Queued] = [JobState.Leased, JobState.Cancelled],
        [JobState.Leased] = [JobState.Leased, JobState.Succeeded, JobState.Queued, JobState.Dead, JobState.Cancelled],
        [JobState.Succeeded] = [],
        [JobState.Dead] = [],
        [JobState.Cancelled] = [],
    };

    /// <summary>True when the table allows the move.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The state asked for.</param>
    public static bool IsAllowed(JobState from, JobState to) => Allowed[from].Contains(to);

    /// <summary>True for the states a job never leaves.</summary>
    /// <param name="state">The state.</param>
    public static bool IsFinal(JobState state) => Allowed[state].Length == 0;

    /// <summary>The stored and wire name of a state.</summary>
    /// <param name="state">The state.</param>
    public static string Name(JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Leased => "leased",
        JobState.Succeeded => "succeeded",
        JobState.Dead => "dead",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a job state."),
    };

    /// <summary>The state of a stored or wire name; null when there is none of that name.</summary>
    /// <param name="name">queued, leased, succeeded, dead or cancelled.</param>
    public static JobState? Parse(string? name) => name switch
    {
        "queued" => JobState.Queued,
        "leased" => JobState.Leased,
        "succeeded" => JobState.Succeeded,
        "dead" => JobState.Dead,
        "cancelled" => JobState.Cancelled,
        _ => null,
    };
}
