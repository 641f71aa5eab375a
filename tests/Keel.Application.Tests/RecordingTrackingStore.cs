using Keel.Core.Search;
using Keel.Core.Tracking;

namespace Keel.Application.Tests;

/// <summary>
/// A store for validation tests: it records what reached it, so a test can show that bad input
/// was rejected before the port and good input arrived with its defaults.
/// </summary>
internal sealed class RecordingTrackingStore : ITrackingStore
{
    public List<string> Calls { get; } = [];

    public NewRun? LastNewRun { get; private set; }

    public List<Tag> LoggedTags { get; } = [];

    public Dictionary<string, IReadOnlyList<Metric>> Histories { get; } = [];

    public Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default) => Record("CreateExperiment", "1");

    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        Record("GetExperiment", new Experiment(experimentId, "e", "mlflow-artifacts:/1", LifecycleStage.Active, 0, 0, []));

    public Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        Record("GetExperimentByName", new Experiment("1", name, "mlflow-artifacts:/1", LifecycleStage.Active, 0, 0, []));

    public Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken = default) =>
        Record("SearchExperiments", new Page<Experiment>([], false));

    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => Record("DeleteExperiment");

    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => Record("RestoreExperiment");

    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default) => Record("RenameExperiment");

    public Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken cancellationToken = default) => Record("SetExperimentTag");

    public Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken = default)
    {
        LastNewRun = run;
        return Record("CreateRun", MakeRun("r1", run.Tags));
    }

    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) => Record("GetRun", MakeRun(runId, LoggedTags));

    public RunUpdate? LastUpdate { get; private set; }

    public Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken cancellationToken = default)
    {
        LastUpdate = update;
        return Record("UpdateRun", MakeRun(runId, []).Info);
    }

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) => Record("DeleteRun");

    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) => Record("RestoreRun");

    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default)
    {
        foreach (var tag in tags)
        {
            LoggedTags.RemoveAll(t => t.Key == tag.Key);
            LoggedTags.Add(tag);
        }

        return Record("LogBatch");
    }

    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) => Record("DeleteTag");

    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken cancellationToken = default) => Record("LogInputs");

    public Task<IReadOnlyList<DatasetSummary>> SearchDatasetsAsync(IReadOnlyList<string> experimentIds, int maxResults, CancellationToken cancellationToken = default) =>
        Record("SearchDatasets", (IReadOnlyList<DatasetSummary>)[]);

    public Task<Page<Run>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => Record("SearchRuns", new Page<Run>([], false));

    public Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default) =>
        Record("GetMetricHistory", Histories.TryGetValue(runId, out var h) ? h : (IReadOnlyList<Metric>)[]);

    private static Run MakeRun(string runId, IReadOnlyList<Tag> tags) => new(
        new RunInfo(runId, "0", "r", "u", RunStatus.Running, 0, null, "mlflow-artifacts:/0/" + runId + "/artifacts", LifecycleStage.Active),
        new RunData([], [], [.. tags]),
        []);

    private Task Record(string call)
    {
        Calls.Add(call);
        return Task.CompletedTask;
    }

    private Task<T> Record<T>(string call, T result)
    {
        Calls.Add(call);
        return Task.FromResult(result);
    }
}
