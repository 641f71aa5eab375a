namespace Keel.Core.Tracking;

/// <summary>Run metadata. <see cref="EndTime"/> is null while the run has not ended.</summary>
/// <param name="RunId">32 hex digits.</param>
/// <param name="ExperimentId">The experiment it belongs to.</param>
/// <param name="RunName">Display name.</param>
/// <param name="UserId">Who started it (may be empty).</param>
/// <param name="Status">Run status.</param>
/// <param name="StartTime">Start time, Unix milliseconds.</param>
/// <param name="EndTime">End time, Unix milliseconds; null while running.</param>
/// <param name="ArtifactUri">Root URI of its artifacts, e.g. <c>mlflow-artifacts:/1/&lt;run_id&gt;/artifacts</c>.</param>
/// <param name="LifecycleStage">Active or deleted.</param>
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
/// <param name="Metrics">The latest point of each metric (highest step, then latest timestamp).</param>
/// <param name="Params">Params, in logging order.</param>
/// <param name="Tags">Tags, system tags (<c>mlflow.*</c>) included.</param>
public sealed record RunData(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<Tag> Tags)
{
    /// <summary>No metrics, params or tags.</summary>
    public static readonly RunData Empty = new([], [], []);
}

/// <summary>A run: info, data (latest metrics) and dataset inputs.</summary>
/// <param name="Info">Metadata.</param>
/// <param name="Data">Latest metrics, params and tags.</param>
/// <param name="Inputs">Datasets logged as inputs.</param>
public sealed record Run(RunInfo Info, RunData Data, IReadOnlyList<DatasetInput> Inputs);

/// <summary>What a new run starts with. The store assigns the id and artifact URI.</summary>
/// <param name="ExperimentId">The experiment to create it in.</param>
/// <param name="UserId">Who starts it (may be empty).</param>
/// <param name="RunName">Display name (a generated one when the caller gave none).</param>
/// <param name="StartTime">Start time, Unix milliseconds.</param>
/// <param name="Tags">Initial tags.</param>
public sealed record NewRun(string ExperimentId, string UserId, string RunName, long StartTime, IReadOnlyList<Tag> Tags);

/// <summary>A partial update of a run; null fields are left unchanged.</summary>
/// <param name="Status">New status (moves follow <see cref="RunStatusTransitions"/>).</param>
/// <param name="EndTime">End time, Unix milliseconds.</param>
/// <param name="RunName">New display name.</param>
public sealed record RunUpdate(RunStatus? Status, long? EndTime, string? RunName);
