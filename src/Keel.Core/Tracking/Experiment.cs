namespace Keel.Core.Tracking;

/// <summary>An experiment. Times are Unix milliseconds. The Default experiment has id "0".</summary>
public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    LifecycleStage LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyList<Tag> Tags)
{
    public const string DefaultId = "0";
    public const string DefaultName = "Default";
}
