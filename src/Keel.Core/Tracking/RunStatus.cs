using Keel.Core.Errors;

namespace Keel.Core.Tracking;

/// <summary>Run status; numeric values are MLflow's proto values.</summary>
public enum RunStatus
{
    Running = 1,
    Scheduled = 2,
    Finished = 3,
    Failed = 4,
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

    public static bool IsTerminal(this RunStatus status) =>
        status is RunStatus.Finished or RunStatus.Failed or RunStatus.Killed;

    public static bool CanMoveTo(this RunStatus from, RunStatus to) => Allowed[from].Contains(to);

    public static void EnsureCanMoveTo(this RunStatus from, RunStatus to)
    {
        if (!from.CanMoveTo(to))
        {
            throw KeelException.InvalidParameter(
                $"Cannot change run status from {from.ToWire()} to {to.ToWire()}; a finished, failed or killed run may only be resumed (RUNNING).");
        }
    }

    public static string ToWire(this RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

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
