namespace Keel.Application.Pipelines;

/// <summary>Settings of the pipeline runner.</summary>
/// <param name="WorkRoot">Where steps get their work directories (under the data directory by default).</param>
/// <param name="DefaultStepTimeout">A step try without <c>timeout_seconds</c> fails after this.</param>
/// <param name="Tracking">Record pipeline runs and steps as MLflow runs (nested) in experiment <c>pipelines/NAME</c>.</param>
public sealed record PipelineOptions(string WorkRoot, TimeSpan? DefaultStepTimeout = null, bool Tracking = true)
{
    /// <summary>The job kind of a step.</summary>
    public const string StepJobKind = "pipeline-step";

    /// <summary>Job attempts a step gets beyond its own retries, for tries lost with a killed worker.</summary>
    public const int LostWorkerAllowance = 3;

    /// <summary>The timeout of a step without its own.</summary>
    public TimeSpan StepTimeout => DefaultStepTimeout ?? TimeSpan.FromHours(1);
}
