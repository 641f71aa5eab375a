using Keel.Core.Errors;

namespace Keel.Core.Tracking;

/// <summary>
/// Lifecycle transitions for experiments and runs. Experiments follow MLflow: deleting a deleted
/// experiment or restoring an active one is an error. Runs allow the same-state transition so that a
/// retried delete or restore succeeds (MLflow's SQL store behaves the same way).
/// </summary>
public static class LifecycleTransitions
{
    public static void EnsureExperimentCanMoveTo(this LifecycleStage from, LifecycleStage to, string experimentId)
    {
        if (from == to)
        {
            throw to == LifecycleStage.Deleted
                ? KeelException.NotFound($"No Experiment with id={experimentId} exists")
                : KeelException.InvalidParameter($"Cannot restore an active experiment (id={experimentId}).");
        }
    }

    public static void EnsureExperimentActive(this LifecycleStage stage, string experimentId)
    {
        if (stage != LifecycleStage.Active)
        {
            throw KeelException.InvalidParameter(
                $"The experiment {experimentId} must be in the 'active' state. Current state is {stage.ToWire()}.");
        }
    }

    public static void EnsureRunActive(this LifecycleStage stage, string runId)
    {
        if (stage != LifecycleStage.Active)
        {
            throw KeelException.InvalidParameter(
                $"The run {runId} must be in the 'active' state. Current state is {stage.ToWire()}.");
        }
    }
}
