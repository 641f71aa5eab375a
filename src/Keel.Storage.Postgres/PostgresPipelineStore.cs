using Keel.Core.Coordination;
using Keel.Core.Pipelines;
using Keel.Storage.Pipelines;

namespace Keel.Storage.Postgres;

/// <summary>
/// Pipelines, their runs, steps, logs, cache and trigger state on PostgreSQL, in the same database
/// as the other stores. The SQL is shared with SQLite (<see cref="PipelineRecords"/>): a change locks
/// the rows it reads (<c>FOR UPDATE</c>), creates and starts of a pipeline's runs queue on its row (so
/// one dedupe key yields one run and the concurrency limit holds across replicas), event and log
/// sequences are taken under transaction-scoped advisory locks so they commit in order, and lease
/// fences are judged by the database's clock.
/// </summary>
public sealed class PostgresPipelineStore : IPipelineStore, IDisposable
{
    private const string NowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly PipelineRecords _records;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    public PostgresPipelineStore(PostgresDatabase database, TimeProvider? time = null)
        : this(database, time, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    public PostgresPipelineStore(string uri)
        : this(PostgresDatabase.Open(uri), null, ownsDatabase: true)
    {
    }

    private PostgresPipelineStore(PostgresDatabase database, TimeProvider? time, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
        _records = new PipelineRecords(
            namedParameters: false, rowLocks: true,
            eventLock: "SELECT pg_advisory_xact_lock(hashtext('keel/pipeline-events/' || current_schema()))",
            logLock: "SELECT pg_advisory_xact_lock(hashtext('keel/pipeline-logs/' || current_schema()))",
            databaseNow: NowMs, time ?? TimeProvider.System);
    }

    public Task<(Pipeline Pipeline, bool Changed)> PutPipelineAsync(string name, string source, string hash, int? expectedVersion, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.PutPipelineAsync(db.Connection, db.Transaction, name, source, hash, expectedVersion, cancellationToken), cancellationToken);

    public Task<Pipeline?> GetPipelineAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GetPipelineAsync(db.Connection, db.Transaction, name, version, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Pipeline>> ListPipelinesAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListPipelinesAsync(db.Connection, db.Transaction, cancellationToken), cancellationToken);

    public Task<CreatedPipelineRun> CreateRunAsync(NewPipelineRun run, LeaseFence? fence = null, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.CreateRunAsync(db.Connection, db.Transaction, run, fence, cancellationToken), cancellationToken);

    public Task<PipelineRun> TryStartRunAsync(long runId, int limit, string? mlflowRunId, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.TryStartRunAsync(db.Connection, db.Transaction, runId, limit, mlflowRunId, cancellationToken), cancellationToken);

    public Task<PipelineRun> FinishRunAsync(long runId, PipelineRunState to, string? error, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.FinishRunAsync(db.Connection, db.Transaction, runId, to, error, cancellationToken), cancellationToken);

    public Task<PipelineRun?> GetRunAsync(long runId, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GetRunAsync(db.Connection, db.Transaction, runId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PipelineRun>> ListRunsAsync(PipelineRunQuery query, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListRunsAsync(db.Connection, db.Transaction, query, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<StepRun>> GetStepsAsync(long runId, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GetStepsAsync(db.Connection, db.Transaction, runId, cancellationToken), cancellationToken);

    public Task<StepRun> UpdateStepAsync(StepUpdate update, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.UpdateStepAsync(db.Connection, db.Transaction, update, cancellationToken), cancellationToken);

    public Task AppendLogAsync(long runId, string step, int attempt, IReadOnlyList<string> lines, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.AppendLogAsync(db.Connection, db.Transaction, runId, step, attempt, lines, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<IReadOnlyList<StepLogLine>> ListLogAsync(long runId, string? step, long afterSeq, int maxResults, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListLogAsync(db.Connection, db.Transaction, runId, step, afterSeq, maxResults, cancellationToken), cancellationToken);

    public Task<StepCacheEntry?> FindCacheAsync(string key, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.FindCacheAsync(db.Connection, db.Transaction, key, cancellationToken), cancellationToken);

    public Task<StepCacheEntry> PutCacheAsync(StepCacheEntry entry, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(db => _records.PutCacheAsync(db.Connection, db.Transaction, entry, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PipelineEvent>> ListEventsAsync(long afterSeq, long? runId, int maxResults, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.ListEventsAsync(db.Connection, db.Transaction, afterSeq, runId, maxResults, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<TriggerState>> GetTriggerStatesAsync(string pipeline, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(db => _records.GetTriggerStatesAsync(db.Connection, db.Transaction, pipeline, cancellationToken), cancellationToken);

    public Task SaveTriggerStateAsync(TriggerState state, LeaseFence? fence, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async db => { await _records.SaveTriggerStateAsync(db.Connection, db.Transaction, state, fence, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }
}
