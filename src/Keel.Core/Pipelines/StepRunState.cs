namespace Keel.Core.Pipelines;

/// <summary>Where one step of a pipeline run is in its life (see <see cref="PipelineTransitions"/>).</summary>
public enum StepRunState
{
    /// <summary>Waiting for its upstream steps, or for a worker to take it.</summary>
    Queued,

    /// <summary>A worker is running it (its attempt number says which try).</summary>
    Running,

    /// <summary>It ran and recorded its outputs. Final.</summary>
    Succeeded,

    /// <summary>It failed after its retries. Final.</summary>
    Failed,

    /// <summary>The run was cancelled before the step ended. Final.</summary>
    Cancelled,

    /// <summary>It did not run because an upstream step failed or the run ended first. Final.</summary>
    Skipped,

    /// <summary>A cache hit: its outputs were reused from an earlier run with the same key. Final.</summary>
    Cached,

    /// <summary>Its change deploys into an environment that requires approval: it waits for the decision, then resumes (approved) or fails (rejected, expired).</summary>
    WaitingForApproval,
}
