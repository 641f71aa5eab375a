namespace Keel.Core.Pipelines;

/// <summary>Where a pipeline run is in its life (see <see cref="PipelineTransitions"/>).</summary>
public enum PipelineRunState
{
    /// <summary>Created and waiting for a slot under the pipeline's concurrency limit.</summary>
    Queued,

    /// <summary>Its steps are being run.</summary>
    Running,

    /// <summary>Every step succeeded, was cached or was skipped by a condition. Final.</summary>
    Succeeded,

    /// <summary>A step failed after its retries. Final.</summary>
    Failed,

    /// <summary>Cancelled by a user before it ended. Final.</summary>
    Cancelled,
}
