using Keel.Core.Tracking;

namespace Keel.Storage;

/// <summary>
/// How a run is created and updated, whatever the backend: its name, its id, where its artifacts
/// go, the mlflow.runName tag that mirrors the name, and which status moves an update may make.
/// </summary>
internal static class RunRules
{
    public const string RunNameTag = "mlflow.runName";

    /// <summary>
    /// The info of a new, running run. Its name is the one asked for, else a non-empty
    /// mlflow.runName tag, else a generated one; its artifacts go under the experiment's location.
    /// </summary>
    public static RunInfo NewRunInfo(NewRun run, string experimentLocation)
    {
        var runName = !string.IsNullOrEmpty(run.RunName) ? run.RunName
            : run.Tags.LastOrDefault(t => t.Key == RunNameTag)?.Value is { Length: > 0 } tagged ? tagged
            : RunNameGenerator.Next();
        var runId = Guid.NewGuid().ToString("N");
        return new RunInfo(runId, run.ExperimentId, runName, run.UserId, RunStatus.Running, run.StartTime, null,
            ArtifactPaths.ForRun(experimentLocation, runId), LifecycleStage.Active);
    }

    /// <summary>The given tags first, then mlflow.runName holding the final name (as MLflow returns them).</summary>
    public static List<Tag> TagsWithName(IReadOnlyList<Tag> tags, string runName) =>
        tags.Where(t => t.Key != RunNameTag).Append(new Tag(RunNameTag, runName)).ToList();

    /// <summary>
    /// The info after <paramref name="update"/> (a status move is checked). A new name must also be
    /// written to the run's mlflow.runName tag, which the caller does when <see cref="Renames"/> holds.
    /// </summary>
    public static RunInfo Apply(RunInfo info, RunUpdate update)
    {
        if (update.Status is { } status)
        {
            info.Status.EnsureCanMoveTo(status);
            info = info with { Status = status };
        }

        if (update.EndTime is { } endTime)
        {
            info = info with { EndTime = endTime };
        }

        if (Renames(update))
        {
            info = info with { RunName = update.RunName! };
        }

        return info;
    }

    public static bool Renames(RunUpdate update) => !string.IsNullOrEmpty(update.RunName);
}
