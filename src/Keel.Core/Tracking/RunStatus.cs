using Keel.Core.Errors;

namespace Keel.Core.Tracking;

/// <summary>Run status; numeric values are MLflow's proto values.</summary>
public enum RunStatus
{
    /// <summary>In progress.</summary>
    Running = 1,
    /// <summary>Created but not started.</summary>
    Scheduled = 2,
    /// <summary>Ended successfully.</summary>
    Finished = 3,
    /// <summary>Ended with an error.</summary>
    Failed = 4,
    /// <summary>Stopped before it ended.</summary>
    Killed = 5,
}

/// <summary>
/// The run status transition table. A terminal run may be resumed (MLflow clients do this with
/// <c>start_run(run_id=...)</c>) or set to the same terminal status again (idempotent retries), but
/// one terminal status never silently becomes another.
/// </summary>
public static class RunStatusTransitions
{
    private static readonly Dictionary<RunStatus, RunStatus[]> Allowed = new()
    {
        [RunStatus.Scheduled] = [RunStatus.Scheduled, RunStatus.Running, RunStatus.Finished, RunStatus.Failed, RunStatus.Killed],
        [RunStatus.Running] = [RunStatus.Running, RunStatus.Finished, RunStatus.Failed, RunStatus.Killed],
        [RunStatus.Finished] = [RunStatus.Finished, RunStatus.Running],
        [RunStatus.Failed] = [RunStatus.Failed, RunStatus.Running],
        [RunStatus.Killed] = [RunStatus.Killed, RunStatus.Running],
    };

    /// <summary>True for FINISHED, FAILED and KILLED.</summary>
    /// <param name="status">The status.</param>
    public static bool IsTerminal(this RunStatus status) =>
        status is RunStatus.Finished or RunStatus.Failed or RunStatus.Killed;

    /// <summary>True when the table allows the move.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The requested status.</param>
    public static bool CanMoveTo(this RunStatus from, RunStatus to) => Allowed[from].Contains(to);

    /// <summary>Throws when the table refuses the move.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The requested status.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming both statuses.</exception>
    public static void EnsureCanMoveTo(this RunStatus from, RunStatus to)
    {
        if (!from.CanMoveTo(to))
        {
            throw KeelException.InvalidParameter(
                $"Cannot change run status from {from.ToWire()} to {to.ToWire()}; a finished, failed or killed run may only be resumed (RUNNING).");
        }
    }

    /// <summary>The wire name, e.g. <c>FINISHED</c>.</summary>
    /// <param name="status">The status.</param>
    public static string ToWire(this RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Parses a wire name or MLflow's proto number (<c>"3"</c> for FINISHED); names are case-sensitive.</summary>
    /// <param name="value">The name or number.</param>
    /// <param name="status">The status when parsed.</param>
    public static bool TryParse(string value, out RunStatus status)
    {
        switch (value)
        {
            case "RUNNING" or "1": status = RunStatus.Running; return true;
            case "SCHEDULED" or "2": status = RunStatus.Scheduled; return true;
            case "FINISHED" or "3": status = RunStatus.Finished; return true;
            case "FAILED" or "4": status = RunStatus.Failed; return true;
            case "KILLED" or "5": status = RunStatus.Killed; return true;
            default: status = default; return false;
        }
    }
}
