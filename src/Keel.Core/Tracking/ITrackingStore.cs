using Keel.Core.Search;

namespace Keel.Core.Tracking;

/// <summary>
/// The tracking metadata port: experiments, runs, params, metrics, tags and dataset inputs.
/// Implementations: SQLite (embedded default), PostgreSQL (later), and the REST client. Input is
/// validated above this port (keys, lengths, limits, filters); a store enforces what only it can
/// enforce atomically: existence, unique names, immutable params, writes only to active runs.
/// Every backend enrolls in the contract suite in tests/Keel.Storage.Contracts.
/// Unknown ids raise <see cref="Errors.ErrorCode.ResourceDoesNotExist"/> with MLflow's wording.
/// </summary>
public interface ITrackingStore
{
    /// <summary>Creates an experiment; a taken name raises RESOURCE_ALREADY_EXISTS. Returns the new id.</summary>
    Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment in any lifecycle stage, or raises RESOURCE_DOES_NOT_EXIST.</summary>
    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment by exact name (any lifecycle stage), or raises RESOURCE_DOES_NOT_EXIST.</summary>
    Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default);

    Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes an experiment and its runs.</summary>
    Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default);

    Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken cancellationToken = default);

    /// <summary>Creates a run in an active experiment.</summary>
    Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken = default);

    /// <summary>Gets a run in any lifecycle stage with its latest metrics, params, tags and inputs.</summary>
    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Updates status, end time and/or name of an active run; status moves follow <see cref="RunStatusTransitions"/>.</summary>
    Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken cancellationToken = default);

    Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default);

    Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs metrics, params and tags to an active run in one transaction: all or nothing. A param
    /// already logged with another value raises INVALID_PARAMETER_VALUE; an identical metric point
    /// (key, value, timestamp, step) logged twice is stored once, so retried batches are idempotent.
    /// </summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default);

    /// <summary>Deletes a tag of an active run; an unknown key raises RESOURCE_DOES_NOT_EXIST.</summary>
    Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default);

    /// <summary>Records dataset inputs of an active run; a dataset already linked is not duplicated.</summary>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken cancellationToken = default);

    /// <summary>
    /// The distinct (experiment, dataset name, digest, context) of the inputs logged to runs of the
    /// given experiments, at most <paramref name="maxResults"/>, ordered by experiment, name, digest
    /// and context. Unknown experiment ids match nothing.
    /// </summary>
    Task<IReadOnlyList<DatasetSummary>> SearchDatasetsAsync(IReadOnlyList<string> experimentIds, int maxResults, CancellationToken cancellationToken = default);

    Task<Page<Run>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every point of one metric of a run, ordered by step, then timestamp, then value.</summary>
    Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default);
}
