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
    /// <summary>Creates an active experiment and returns its new id (a decimal string, e.g. <c>"4"</c>).</summary>
    /// <param name="name">Unique experiment name (validated above the port).</param>
    /// <param name="artifactLocation">Root URI of the experiment's artifacts; null lets the store derive it from its default root.</param>
    /// <param name="tags">Experiment tags stored with it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_ALREADY_EXISTS when an experiment (active or deleted) has the name.</exception>
    Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment in any lifecycle stage, with its tags.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown id.</exception>
    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment by exact, case-sensitive name, in any lifecycle stage.</summary>
    /// <param name="name">The experiment name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when no experiment has the name.</exception>
    Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of experiments matching a validated query, in its order (default: newest created
    /// first, then id), starting at <see cref="ExperimentQuery.Offset"/>.
    /// </summary>
    /// <param name="query">Filter, view type, ordering and the page window.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most <see cref="ExperimentQuery.MaxResults"/> experiments, and whether more follow.</returns>
    Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes an experiment and its runs (lifecycle stage <c>deleted</c>); they can be restored.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown or already deleted experiment.</exception>
    Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Restores a deleted experiment and its runs.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown id; INVALID_PARAMETER_VALUE when it is active.</exception>
    Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Renames an active experiment.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="newName">The new, unique name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown id; RESOURCE_ALREADY_EXISTS when the name is taken; INVALID_PARAMETER_VALUE when the experiment is deleted.</exception>
    Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default);

    /// <summary>Sets (adds or replaces) a tag of an active experiment.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="tag">The tag; an existing key gets the new value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown id; INVALID_PARAMETER_VALUE when the experiment is deleted.</exception>
    Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken cancellationToken = default);

    /// <summary>Creates a RUNNING run in an active experiment, with a new 32-hex-digit id and its artifact URI.</summary>
    /// <param name="run">Experiment, user, name (already defaulted), start time in Unix milliseconds and initial tags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored run, its tags included.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown experiment; INVALID_PARAMETER_VALUE when it is deleted.</exception>
    Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken = default);

    /// <summary>Gets a run in any lifecycle stage with its latest metrics, params, tags and inputs.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown id.</exception>
    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Updates status, end time and/or name of an active run; status moves follow <see cref="RunStatusTransitions"/>.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="update">The fields to change; null fields are kept.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's info after the update.</returns>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown id; INVALID_PARAMETER_VALUE for a deleted run or a refused status move.</exception>
    Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes a run (lifecycle stage <c>deleted</c>); deleting a deleted run succeeds, so retries are safe.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown id.</exception>
    Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Restores a deleted run; restoring an active run succeeds.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown id.</exception>
    Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs metrics, params and tags to an active run in one transaction: all or nothing. A param
    /// already logged with another value raises INVALID_PARAMETER_VALUE; an identical metric point
    /// (key, value, timestamp, step) logged twice is stored once, so retried batches are idempotent.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metrics">Metric points; timestamps are Unix milliseconds. NaN and infinities are stored as such.</param>
    /// <param name="params">Params; immutable once logged.</param>
    /// <param name="tags">Tags; an existing key gets the new value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; INVALID_PARAMETER_VALUE for a deleted run or a changed param.</exception>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a logged model to the run's <c>mlflow.log-model.history</c> tag (MLflow's
    /// <c>record_logged_model</c>). Written without the run-tag length limit, as MLflow's server does
    /// not hold a history of models with signatures to 5000 characters. The default reads the run and
    /// writes the tag back with <see cref="LogBatchAsync"/>; the REST client overrides it to call the
    /// server's <c>runs/log-model</c>, whose own store then does the same.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="modelJson">The model's MLmodel as one JSON object, checked above the port.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; INVALID_PARAMETER_VALUE for a deleted run.</exception>
    async Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default)
    {
        // Read-modify-write: two concurrent calls on one run may race, as they may on MLflow's server.
        var run = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var history = LoggedModelHistory.Append(LoggedModelHistory.Of(run), modelJson);
        await LogBatchAsync(runId, [], [], [new Tag(LoggedModelHistory.TagKey, history)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a tag of an active run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run or key; INVALID_PARAMETER_VALUE for a deleted run.</exception>
    Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default);

    /// <summary>Records dataset inputs of an active run; a dataset already linked is not duplicated.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="inputs">Datasets (identified per experiment by name and digest) with their input tags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run; INVALID_PARAMETER_VALUE for a deleted run.</exception>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken cancellationToken = default);

    /// <summary>
    /// The distinct (experiment, dataset name, digest, context) of the inputs logged to runs of the
    /// given experiments, at most <paramref name="maxResults"/>, ordered by experiment, name, digest
    /// and context. Unknown experiment ids match nothing.
    /// </summary>
    /// <param name="experimentIds">Experiments whose runs' inputs are searched.</param>
    /// <param name="maxResults">The most summaries returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The distinct dataset summaries, in order.</returns>
    Task<IReadOnlyList<DatasetSummary>> SearchDatasetsAsync(IReadOnlyList<string> experimentIds, int maxResults, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of runs of the query's experiments matching its filter, in its order (default:
    /// newest start time first, then run id), starting at <see cref="RunQuery.Offset"/>.
    /// </summary>
    /// <param name="query">Experiments, filter, view type, ordering and the page window.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most <see cref="RunQuery.MaxResults"/> runs with their data, and whether more follow.</returns>
    Task<Page<Run>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every point of one metric of a run, ordered by step, then timestamp, then value.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metricKey">The metric key; an unknown key gives an empty list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST for an unknown run.</exception>
    Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default);
}
