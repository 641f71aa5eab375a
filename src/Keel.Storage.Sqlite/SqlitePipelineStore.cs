using Keel.Core.Coordination;
using Keel.Core.Pipelines;
using Keel.Storage.Pipelines;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Pipelines, their runs, steps, logs, cache and trigger state on the same SQLite file as the other
/// stores. The SQL is shared with PostgreSQL (<see cref="PipelineRecords"/>); writes go through the
/// file's one writer, so a change's check of the current state and its write cannot interleave with
/// another, and a run start's count of running runs is exact.
/// </summary>
public sealed class SqlitePipelineStore : IPipelineStore, IDisposable
{
    private readonly SqliteDatabaseHandle _handle;
    private readonly SqliteDatabase _db;
    private readonly PipelineRecords _records;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="time">The clock for timestamps and leases; the system clock when null.</param>
    public SqlitePipelineStore(string databasePath, TimeProvider? time = null)
    {
        _handle = SqliteDatabase.Acquire(databasePath, Keel.Core.Artifacts.ArtifactUri.ProxyRoot);
        _db = _handle.Database;
        _records = new PipelineRecords(namedParameters: true, rowLocks: false, eventLock: string.Empty, logLock: string.Empty, databaseNow: null, time ?? TimeProvider.System);
    }

    public Task<(Pipeline Pipeline, bool Changed)> PutPipelineAsync(string name, string source, string hash, int? expectedVersion, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.PutPipelineAsync(_db.Writer, tx, name, source, hash, expectedVersion, cancellationToken), cancellationToken);

    public Task<Pipeline?> GetPipelineAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GetPipelineAsync(c, null, name, version, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Pipeline>> ListPipelinesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListPipelinesAsync(c, null, cancellationToken), cancellationToken);

    public Task<CreatedPipelineRun> CreateRunAsync(NewPipelineRun run, LeaseFence? fence = null, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.CreateRunAsync(_db.Writer, tx, run, fence, cancellationToken), cancellationToken);

    public Task<PipelineRun> TryStartRunAsync(long runId, int limit, string? mlflowRunId, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.TryStartRunAsync(_db.Writer, tx, runId, limit, mlflowRunId, cancellationToken), cancellationToken);

    public Task<PipelineRun> FinishRunAsync(long runId, PipelineRunState to, string? error, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.FinishRunAsync(_db.Writer, tx, runId, to, error, cancellationToken), cancellationToken);

    public Task<PipelineRun?> GetRunAsync(long runId, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GetRunAsync(c, null, runId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PipelineRun>> ListRunsAsync(PipelineRunQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListRunsAsync(c, null, query, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<StepRun>> GetStepsAsync(long runId, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GetStepsAsync(c, null, runId, cancellationToken), cancellationToken);

    public Task<StepRun> UpdateStepAsync(StepUpdate update, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.UpdateStepAsync(_db.Writer, tx, update, cancellationToken), cancellationToken);

    public Task AppendLogAsync(long runId, string step, int attempt, IReadOnlyList<string> lines, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.AppendLogAsync(_db.Writer, tx, runId, step, attempt, lines, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<IReadOnlyList<StepLogLine>> ListLogAsync(long runId, string? step, long afterSeq, int maxResults, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListLogAsync(c, null, runId, step, afterSeq, maxResults, cancellationToken), cancellationToken);

    public Task<StepCacheEntry?> FindCacheAsync(string key, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.FindCacheAsync(c, null, key, cancellationToken), cancellationToken);

    public Task<StepCacheEntry> PutCacheAsync(StepCacheEntry entry, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => _records.PutCacheAsync(_db.Writer, tx, entry, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PipelineEvent>> ListEventsAsync(long afterSeq, long? runId, int maxResults, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.ListEventsAsync(c, null, afterSeq, runId, maxResults, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<TriggerState>> GetTriggerStatesAsync(string pipeline, CancellationToken cancellationToken = default) =>
        ReadAsync(c => _records.GetTriggerStatesAsync(c, null, pipeline, cancellationToken), cancellationToken);

    public Task SaveTriggerStateAsync(TriggerState state, LeaseFence? fence, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx => { await _records.SaveTriggerStateAsync(_db.Writer, tx, state, fence, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public void Dispose() => _handle.Dispose();

    // Microsoft.Data.Sqlite's asynchronous calls complete synchronously, so the shared asynchronous
    // SQL finishes inside the database's synchronous writer and reader callbacks.
    private Task<T> WriteAsync<T>(Func<Microsoft.Data.Sqlite.SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(tx => work(tx).GetAwaiter().GetResult(), cancellationToken);

    private Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Task<T>> work, CancellationToken cancellationToken) =>
        _db.ReadAsync(c => work(c).GetAwaiter().GetResult(), cancellationToken);
}
