namespace Keel.Core.Tracking;

/// <summary>Run metadata. <see cref="EndTime"/> is null while the run has not ended.</summary>
public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    RunStatus Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    LifecycleStage LifecycleStage);

/// <summary>The latest value of each metric, the params and the tags of a run.</summary>
public sealed record RunData(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<Tag> Tags)
{
    public static readonly RunData Empty = new([], [], []);
}

/// <summary>A run: info, data (latest metrics) and dataset inputs.</summary>
public sealed record Run(RunInfo Info, RunData Data, IReadOnlyList<DatasetInput> Inputs);

/// <summary>What a new run starts with. The store assigns the id and artifact URI.</summary>
public sealed record NewRun(string ExperimentId, string UserId, string RunName, long StartTime, IReadOnlyList<Tag> Tags);

/// <summary>A partial update of a run; null fields are left unchanged.</summary>
public sealed record RunUpdate(RunStatus? Status, long? EndTime, string? RunName);
