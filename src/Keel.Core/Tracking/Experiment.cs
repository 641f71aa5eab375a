namespace Keel.Core.Tracking;

/// <summary>An experiment. Times are Unix milliseconds. The Default experiment has id "0".</summary>
/// <param name="ExperimentId">The id, a decimal string.</param>
/// <param name="Name">Unique name.</param>
/// <param name="ArtifactLocation">Root URI of its runs' artifacts, e.g. <c>mlflow-artifacts:/4</c>.</param>
/// <param name="LifecycleStage">Active or deleted.</param>
/// <param name="CreationTime">Creation time, Unix milliseconds.</param>
/// <param name="LastUpdateTime">Time of the last change, Unix milliseconds.</param>
/// <param name="Tags">Experiment tags.</param>
public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    LifecycleStage LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyList<Tag> Tags)
{
    /// <summary>The id of the experiment every store creates first.</summary>
    public const string DefaultId = "0";
    /// <summary>The name of the experiment every store creates first.</summary>
    public const string DefaultName = "Default";
}
