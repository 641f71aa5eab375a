using Keel.Core.Errors;

namespace Keel.Core.Tracking;

/// <summary>
/// Lifecycle transitions for experiments and runs. Experiments follow MLflow: deleting a deleted
/// experiment or restoring an active one is an error. Runs allow the same-state transition so that a
/// retried delete or restore succeeds (MLflow's SQL store behaves the same way).
/// </summary>
public static class LifecycleTransitions
{
    /// <summary>Refuses deleting a deleted experiment and restoring an active one, in MLflow's wording.</summary>
    /// <param name="from">The current stage.</param>
    /// <param name="to">The requested stage.</param>
    /// <param name="experimentId">The id, for the message.</param>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST for a second delete; INVALID_PARAMETER_VALUE for restoring an active experiment.</exception>
    public static void EnsureExperimentCanMoveTo(this LifecycleStage from, LifecycleStage to, string experimentId)
    {
        if (from == to)
        {
            throw to == LifecycleStage.Deleted
                ? KeelException.NotFound($"No Experiment with id={experimentId} exists")
                : KeelException.InvalidParameter($"Cannot restore an active experiment (id={experimentId}).");
        }
    }

    /// <summary>Refuses writes to a deleted experiment.</summary>
    /// <param name="stage">The experiment's stage.</param>
    /// <param name="experimentId">The id, for the message.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE when it is deleted.</exception>
    public static void EnsureExperimentActive(this LifecycleStage stage, string experimentId)
    {
        if (stage != LifecycleStage.Active)
        {
            throw KeelException.InvalidParameter(
                $"The experiment {experimentId} must be in the 'active' state. Current state is {stage.ToWire()}.");
        }
    }

    /// <summary>Refuses writes to a deleted run.</summary>
    /// <param name="stage">The run's stage.</param>
    /// <param name="runId">The id, for the message.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE when it is deleted.</exception>
    public static void EnsureRunActive(this LifecycleStage stage, string runId)
    {
        if (stage != LifecycleStage.Active)
        {
            throw KeelException.InvalidParameter(
                $"The run {runId} must be in the 'active' state. Current state is {stage.ToWire()}.");
        }
    }
}
